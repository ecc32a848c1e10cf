import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { admissionPolicies, type AdmissionTarget } from '../../src/gitops/impact/admission';
import type { ConsumerImpact, ImpactReport } from '../../src/gitops/impact/contract';
import { impactOf } from '../../src/gitops/impact/impact';
import { parseReference, type Reference, type RepositoryApi } from '../../src/oci';
import { dockerReference, parseTrustedRoot } from '../../src/signing';
import { appendCosignSignature, COSIGN_REKOR_BUNDLE_ANNOTATION, cosignSignatureLayer } from '../../src/signing/cosignSignatureTag';
import { signCosign2Keyless } from '../support/cosign2Keyless';
import { identityToken, startSigstore, type RunningSigstore } from '../support/sigstoreServer';
import { useRegistry } from '../support/useRegistry';
import { policyFixture, registryEvidence } from './admissionSupport';
import { base64, cosignKeyPair, fixture, pushCandidate, workspace } from './workspaceFixtures';

// A cosign 2 keyless signature in the legacy `.sig` tag (what `cosign sign` without a key writes
// in cosign 2.x), laid out as test/support/cosign2Keyless.ts says from sigstore/cosign's
// pkg/oci/static/signature.go and pkg/cosign/bundle/rekor.go, signed through the mock Fulcio and
// Rekor. Each consumer verifies it with cosign's pkg/cosign/verify.go (verifyInternal,
// VerifyBundle, ValidateAndUnpackCertWithIntermediates, CheckCertificatePolicy): Flux from
// fluxcd/source-controller internal/oci/cosign/cosign.go (a trustedRootSecretRef root becomes
// CheckOpts.TrustedMaterial, identities from matchOIDCIdentity, the .sig tag read when no bundle
// referrer exists), Kyverno from pkg/image/verifiers/cpol/cosign (type Cosign keyless),
// policy-controller from pkg/webhook/validator.go checkOptsFromAuthority (keyless without
// signatureFormat: bundle).

const DOCS_ISSUER = 'https://oidc-issuer.example.com';
const CI_JOB = 'https://ci.example.com/pipelines/7';
const POD: AdmissionTarget = { kind: 'Pod', namespace: 'apps', field: 'container' };

describe('cosign 2 keyless signatures in the .sig tag, judged as each consumer verifies them', () => {
  const running = useRegistry({ auth: 'none' });
  let sigstore: RunningSigstore;
  before(async () => (sigstore = await startSigstore()));
  after(() => sigstore?.stop());

  const where = (name: string) => `${running.registry.host}/${name}/podinfo`;
  const repoOf = (name: string): RepositoryApi => running.client.repository(parseReference(where(name)));
  const candidate = (name: string): Reference => ({ registry: running.registry.host, repository: `${name}/podinfo`, tag: 'latest' });
  const impact = (name: string, dir: string): Promise<ImpactReport> =>
    impactOf({
      candidate: candidate(name),
      files: [dir],
      registry: { repository: (host, path) => running.client.repository({ registry: host, repository: path }) },
    });
  const only = (report: ImpactReport): ConsumerImpact => {
    assert.equal(report.consumers.length, 1, JSON.stringify(report.consumers, null, 2));
    return report.consumers[0];
  };
  /** Pushes `latest` and signs it as cosign 2 does without a key, as `subject` of DOCS_ISSUER through `through` (the test's Sigstore by default). */
  const signed = async (name: string, subject = CI_JOB, through = () => sigstore, edit?: Parameters<typeof signCosign2Keyless>[4]) => {
    const repo = repoOf(name);
    const artifact = await pushCandidate(repo, 'latest');
    await signCosign2Keyless(repo, artifact, through(), identityToken({ iss: DOCS_ISSUER, sub: subject, email_verified: true }), edit);
    return { repo, artifact };
  };
  /** The Flux docs' trustedRootSecretRef consumer (matchOIDCIdentity ^https://ci.example.com/.*$) with the mock's root, under Flux 2.9. */
  const fluxTrustedRoot = (name: string) =>
    workspace({
      'podinfo.yaml': fixture('flux-keyless-trusted-root.yaml', where(name), { '<BASE64>': base64(JSON.stringify(sigstore.trustedRoot)) }),
      'flux-system/flux-instance.yaml': fixture('flux-instance.yaml', '', { '"2.3.x"': '"2.9.x"' }),
    });
  const root = () => parseTrustedRoot(JSON.stringify(sigstore.trustedRoot));

  test('Flux matchOIDCIdentity with trustedRootSecretRef accepts a cosign 2 keyless .sig signature of the matching identity', async () => {
    await signed('flux-match');
    const found = only(await impact('flux-match', fluxTrustedRoot('flux-match')));
    assert.equal(found.acceptance, 'accepts', JSON.stringify(found.checks, null, 2));
    assert.equal(found.checks[0].check, 'Flux spec.verify (cosign keyless)');
    assert.match(
      found.checks[0].detail,
      /^sha256-[0-9a-f]{64}\.sig layer 1 of 1: signed by https:\/\/ci\.example\.com\/pipelines\/7 \(issuer https:\/\/oidc-issuer\.example\.com\); certificate chain, SCT, Rekor entry and the signature over the simple-signing payload verify, the payload claims this digest/,
    );
  });

  test('Flux refuses a cosign 2 keyless .sig signature whose identity matches no matchOIDCIdentity, naming who signed', async () => {
    await signed('flux-mismatch', 'https://ci.other.example/job');
    const found = only(await impact('flux-mismatch', fluxTrustedRoot('flux-mismatch')));
    assert.equal(found.acceptance, 'refuses');
    assert.match(
      found.checks[0].detail,
      /signed by https:\/\/ci\.other\.example\/job \(issuer https:\/\/oidc-issuer\.example\.com\), which matches no configured OIDC identity: the identity's subject \/\^https:\/\/ci\.example\.com\/\.\*\$\/ does not match/,
    );
  });

  test('Flux refuses a keyless .sig signature whose certificate another Fulcio issued: it does not chain to the trusted root', async () => {
    const elsewhere = await startSigstore();
    try {
      await signed('flux-foreign-ca', CI_JOB, () => elsewhere);
    } finally {
      await elsewhere.stop();
    }
    const found = only(await impact('flux-foreign-ca', fluxTrustedRoot('flux-foreign-ca')));
    assert.equal(found.acceptance, 'refuses');
    assert.match(found.checks[0].detail, /does not verify against the trusted root: CERTIFICATE_ERROR/);
  });

  test('Flux refuses a keyless .sig layer whose Rekor entry records another signature (cosign VerifyBundle compareSigs)', async () => {
    const other = await signed('flux-other-entry');
    // Re-sign the same artifact, then graft the first signature's Rekor bundle onto the second layer.
    const first = (await other.repo.fetchManifest(`${other.artifact.digest.replace(':', '-')}.sig`)).manifest as {
      layers: Array<{ annotations: Record<string, string> }>;
    };
    const swapped = repoOf('flux-swapped');
    const artifact = await pushCandidate(swapped, 'latest');
    await signCosign2Keyless(
      swapped,
      artifact,
      sigstore,
      identityToken({ iss: DOCS_ISSUER, sub: CI_JOB, email_verified: true }),
      (layer) => {
        layer.annotations[COSIGN_REKOR_BUNDLE_ANNOTATION] = first.layers[0].annotations[COSIGN_REKOR_BUNDLE_ANNOTATION];
      },
    );
    const found = only(await impact('flux-swapped', fluxTrustedRoot('flux-swapped')));
    assert.equal(found.acceptance, 'refuses');
    assert.match(found.checks[0].detail, /the Rekor entry names another certificate than the layer/);
  });

  test('Flux against Sigstore public-good: a matching keyless .sig identity is unknown, another identity is refused', async () => {
    await signed('public-good', 'https://github.com/stefanprodan/podinfo/.github/workflows/release.yml@refs/tags/6.2.0');
    const github = (name: string) => workspace({ 'podinfo.yaml': fixture('flux-keyless-github.yaml', where(name)) });
    // The docs' GitHub identity expects the GitHub issuer; this signer's issuer is DOCS_ISSUER.
    const mismatch = only(await impact('public-good', github('public-good')));
    assert.equal(mismatch.acceptance, 'refuses');
    assert.match(mismatch.checks[0].detail, /issuer \/\^https:\/\/token\.actions\.githubusercontent\.com\$\/ does not match/);
    const matching = workspace({
      'podinfo.yaml': fixture('flux-keyless-github.yaml', where('public-good')).replace(
        '^https://token.actions.githubusercontent.com$',
        `^${DOCS_ISSUER}$`,
      ),
    });
    const unknown = only(await impact('public-good', matching));
    assert.equal(unknown.acceptance, 'unknown');
    assert.match(
      unknown.checks[0].detail,
      /matches matchOIDCIdentity, but the certificate chain is checked against the Sigstore public-good root/,
    );
  });

  test('a key-based Flux consumer still judges the .sig tag by its key: the keyless layer does not verify, a key layer beside it does', async () => {
    const { repo, artifact } = await signed('flux-key');
    const keys = cosignKeyPair();
    const dir = workspace({ 'podinfo.yaml': fixture('flux-cosign-keys.yaml', where('flux-key'), { '<BASE64>': base64(keys.publicPem) }) });
    const keylessOnly = only(await impact('flux-key', dir));
    assert.equal(keylessOnly.acceptance, 'refuses');
    assert.match(keylessOnly.checks[0].detail, /layer 1 of 1: the signature does not verify with the key cosign-public-keys\/key1\.pub/);
    // cosign 2 with a key appends its layer to the same tag.
    await appendCosignSignature(
      repo,
      artifact.digest,
      keys.privateKey,
      cosignSignatureLayer(keys.privateKey, dockerReference(repo), artifact.digest),
    );
    const both = only(await impact('flux-key', dir));
    assert.equal(both.acceptance, 'accepts', JSON.stringify(both.checks, null, 2));
    assert.match(
      both.checks[0].detail,
      /layer 2 of 2: signature over the simple-signing payload verifies and claims this digest \(cosign-public-keys\/key1\.pub\)/,
    );
  });

  test('Kyverno type Cosign keyless attestor: the matching identity passes, another fails, and without a root the match is out of reach', async () => {
    await signed('kyverno');
    const ref: Reference = { ...candidate('kyverno') };
    const policy = (subjectRegExp: string, ignoreTlog = false) =>
      policyFixture('kyverno-check-image-keyless-regexp.yaml', (doc) => {
        doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'imageReferences'], [`${where('kyverno')}:*`]);
        const entry = ['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keyless'];
        doc.setIn([...entry, 'subjectRegExp'], subjectRegExp);
        doc.setIn([...entry, 'issuerRegExp'], 'https://oidc-issuer\\.example\\.com');
        if (ignoreTlog) doc.setIn([...entry, 'rekor', 'ignoreTlog'], true);
      });
    const checkWith = async (subjectRegExp: string, options = { sigstoreTrustedRoot: root() }, ignoreTlog = false) =>
      (
        await admissionPolicies([policy(subjectRegExp, ignoreTlog)], options)
          .forTarget(POD)
          .checksFor(ref, await registryEvidence(repoOf('kyverno'), ref))
      )[0];
    const ok = await checkWith('https://ci\\.example\\.com/.+');
    assert.equal(ok.outcome, 'pass', ok.detail);
    assert.match(
      ok.detail,
      /attestors\[0\]\.entries\[0\]\.keyless: sha256-[0-9a-f]{64}\.sig layer 1 of 1 verifies \(signed by https:\/\/ci\.example\.com\/pipelines\/7/,
    );
    const other = await checkWith('https://github\\.com/.+');
    assert.equal(other.outcome, 'fail');
    assert.match(other.detail, /which matches no configured OIDC identity/);
    const withoutRoot = await checkWith('https://ci\\.example\\.com/.+', {} as { sigstoreTrustedRoot: ReturnType<typeof root> });
    assert.equal(withoutRoot.outcome, 'out-of-reach');
    assert.match(withoutRoot.detail, /the certificate names https:\/\/ci\.example\.com\/pipelines\/7 .*not configured here/);
    // rekor.ignoreTlog makes cosign check the certificate against the current time instead of the log's.
    const ignoringTlog = await checkWith('https://ci\\.example\\.com/.+', { sigstoreTrustedRoot: root() }, true);
    assert.equal(ignoringTlog.outcome, 'out-of-reach');
    assert.match(ignoringTlog.detail, /rekor\.ignoreTlog/);
  });

  test('policy-controller keyless authority without signatureFormat bundle passes the cosign 2 keyless .sig signature of its identity', async () => {
    await signed('policy-controller');
    const ref = candidate('policy-controller');
    const policy = (subject: string) =>
      policyFixture('policy-controller-signed-by-github-actions.yaml', (doc) => {
        doc.setIn(['spec', 'authorities', 0, 'keyless', 'url'], sigstore.fulcioURL);
        doc.setIn(['spec', 'authorities', 0, 'keyless', 'identities', 0, 'issuer'], DOCS_ISSUER);
        doc.setIn(['spec', 'authorities', 0, 'keyless', 'identities', 0, 'subject'], subject);
      });
    const check = async (subject: string) =>
      (
        await admissionPolicies([policy(subject)], { sigstoreTrustedRoot: root() })
          .forTarget({ ...POD, field: 'image-volume' })
          .checksFor(ref, await registryEvidence(repoOf('policy-controller'), ref))
      )[0];
    const ok = await check(CI_JOB);
    assert.equal(ok.outcome, 'pass', ok.detail);
    assert.match(ok.detail, /^authorities\[0\]\.keyless: sha256-[0-9a-f]{64}\.sig layer 1 of 1 verifies/);
    const other = await check('https://ci.example.com/pipelines/8');
    assert.equal(other.outcome, 'fail');
    assert.match(other.detail, /^no authority passes: authorities\[0\]\.keyless: .*which matches no configured OIDC identity/);
  });
});
