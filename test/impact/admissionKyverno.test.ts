import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Document } from 'yaml';
import { admissionPolicies, type AdmissionTarget, type PolicyFile } from '../../src/gitops/impact/admission';
import type { Check } from '../../src/gitops/impact/contract';
import { type Descriptor, type Reference, type RepositoryApi } from '../../src/oci';
import { generateTestCertificate, parseTrustedRoot, publicKeyPem, signWithNotation, type TestCertificate } from '../../src/signing';
import type { RunningRegistry } from '../support/registry';
import type { RunningSigstore } from '../support/sigstoreServer';
import { ISSUER, policyFixture, registryEvidence, signedRepository, type SignedRepository } from './admissionSupport';

// Kyverno verifyImages rules, written as kyverno.io's docs show them (test/fixtures/impact/policies),
// evaluated for artifacts this project signs in a real Distribution. Behaviour follows kyverno
// @111e07bbec: pkg/engine/internal/imageverifier.go, pkg/engine/handlers/validation/validate_image.go,
// pkg/image/verifiers/cpol/cosign/cosign.go, pkg/utils/api/image.go.

const CONTAINER: AdmissionTarget = { kind: 'Pod', namespace: 'apps', field: 'container' };
const VOLUME: AdmissionTarget = { kind: 'Pod', namespace: 'apps', field: 'image-volume' };

describe('Kyverno verifyImages against artifacts signed in a real registry', () => {
  let signed: SignedRepository;
  let registry: RunningRegistry;
  let sigstore: RunningSigstore;
  let repo: RepositoryApi;
  let signer: KeyObject;
  let stranger: KeyObject;
  let notary: TestCertificate;
  let artifacts: Record<'key' | 'keyless' | 'notation', { ref: Reference; subject: Descriptor }>;

  before(async () => {
    signed = await signedRepository();
    ({ registry, sigstore, repo, signer, stranger } = signed);
    notary = generateTestCertificate({ commonName: 'kyverno.test' });
    const notation = await signed.push('v3');
    await signWithNotation(repo, notation.subject, notary.privateKey, [notary.certificateDer]);
    artifacts = { key: signed.key, keyless: signed.keyless, notation };
  });
  after(() => signed?.stop());

  const checks = async (
    files: PolicyFile[],
    name: keyof typeof artifacts,
    target = CONTAINER,
    predicateTypes: string[] = [],
  ): Promise<Check[]> => {
    const { ref } = artifacts[name];
    const policies = admissionPolicies(files, { sigstoreTrustedRoot: parseTrustedRoot(JSON.stringify(sigstore.trustedRoot)) });
    return policies.forTarget(target).checksFor(ref, await registryEvidence(repo, ref, predicateTypes));
  };
  const images = (pattern: string) => (doc: Document) =>
    doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'imageReferences'], [pattern.replace('HOST', registry.host)]);
  /** kyverno-check-image.yaml: imageReferences and the public key point at this test's registry and key. */
  const checkImage = (key: KeyObject, extra: (doc: Document) => void = () => undefined) =>
    policyFixture('kyverno-check-image.yaml', (doc) => {
      images('HOST/team/app*')(doc);
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keys', 'publicKeys'], publicKeyPem(key));
      extra(doc);
    });

  /** kyverno-check-image-keyless.yaml as type SigstoreBundle, for this registry, with `subject` and this test's issuer. */
  const keyless = (subject: string) =>
    policyFixture('kyverno-check-image-keyless.yaml', (doc) => {
      images('HOST/team/app:*')(doc);
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'type'], 'SigstoreBundle');
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keyless', 'subject'], subject);
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keyless', 'issuer'], ISSUER);
    });

  test('a key attestor passes when the .sig signature verifies with the policy key', async () => {
    const [check, ...rest] = await checks([checkImage(signer)], 'key');
    assert.equal(rest.length, 0);
    assert.equal(check.outcome, 'pass', check.detail);
    assert.equal(check.check, 'Kyverno ClusterPolicy check-image / rule check-image');
    assert.match(check.detail, /sha256-[0-9a-f]{64}\.sig layer 1 of 1 verifies/);
    assert.deepEqual(check.declaredAt, { file: 'policies/kyverno-check-image.yaml', line: 18 });
  });

  test('a key attestor fails when the signature was made with another key', async () => {
    const [check] = await checks([checkImage(stranger)], 'key');
    assert.equal(check.outcome, 'fail');
    assert.match(check.detail, /0 of 1 required verified: attestors\[0\]\.entries\[0\]\.keys: .*does not verify/);
  });

  test('Audit turns a failing rule into a warning', async () => {
    const audit = checkImage(stranger, (doc) => doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'failureAction'], 'Audit'));
    const [check] = await checks([audit], 'key');
    assert.equal(check.outcome, 'warn');
    assert.match(check.detail, /\[Audit: reported, not blocked\]$/);
  });

  test('a policy without any failure action audits (validationFailureAction defaults to Audit)', async () => {
    const unset = checkImage(stranger, (doc) => doc.deleteIn(['spec', 'rules', 0, 'verifyImages', 0, 'failureAction']));
    assert.equal((await checks([unset], 'key'))[0].outcome, 'warn');
  });

  test('a key signature still needs its Rekor entry unless rekor.ignoreTlog is true', async () => {
    const strict = checkImage(signer, (doc) =>
      doc.deleteIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keys', 'rekor']),
    );
    const [check] = await checks([strict], 'key');
    assert.equal(check.outcome, 'out-of-reach');
    assert.match(
      check.detail,
      /\.sig layer 1 of 1 verifies .*, but without keys\.rekor\.ignoreTlog: true Kyverno also requires the signature's Rekor transparency-log entry/,
    );
  });

  test('imageReferences use Kyverno wildcards against registry/path:tag, and a non-matching rule adds no check', async () => {
    // `*` crosses `/` and `:` in Kyverno's wildcard; `?` is exactly one character.
    const [crossing] = await checks([policyFixture('kyverno-check-image.yaml', images('HOST/*:v?'))], 'key');
    assert.ok(crossing, 'HOST/*:v? matches HOST/team/app:v1');
    assert.deepEqual(await checks([policyFixture('kyverno-check-image.yaml', images('HOST/team/app:v1?'))], 'key'), []);
    assert.deepEqual(await checks([policyFixture('kyverno-check-image.yaml', images('ghcr.io/kyverno/test-verify-image*'))], 'key'), []);
  });

  test('skipImageReferences exempts a matching image, which is reported as skipped', async () => {
    const excludeRefs = (skip: string) =>
      policyFixture('kyverno-exclude-refs.yaml', (doc) => {
        images('HOST/*')(doc);
        doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'skipImageReferences'], [skip.replace('HOST', registry.host)]);
      });
    const [skipped] = await checks([excludeRefs('HOST/team/*')], 'key');
    assert.equal(skipped.outcome, 'pass');
    assert.match(skipped.detail, /matches skipImageReferences ".*\/team\/\*": not verified/);
    // Not skipped: the docs' key (not ours) is checked, and fails.
    const [checked] = await checks([excludeRefs('HOST/trusted/*')], 'key');
    assert.equal(checked.outcome, 'fail');
  });

  test('keyless with type SigstoreBundle passes when the certificate identity matches subject and issuer wildcards', async () => {
    const [ok] = await checks([keyless('*@example.test')], 'keyless');
    assert.equal(ok.outcome, 'pass', ok.detail);
    assert.match(ok.detail, /signed by alice@example\.test/);
    // The docs' own subject, *@nirmata.com, is not who signed.
    const [mismatch] = await checks([keyless('*@nirmata.com')], 'keyless');
    assert.equal(mismatch.outcome, 'fail');
    assert.match(
      mismatch.detail,
      /signed by alice@example\.test \(issuer https:\/\/issuer\.example\.test\), which matches no configured OIDC identity/,
    );
  });

  test('keyless without a configured Sigstore root still refuses a mismatching identity, and leaves a matching one out of reach', async () => {
    const { ref } = artifacts.keyless;
    const withoutRoot = async (subject: string) =>
      (
        await admissionPolicies([keyless(subject)])
          .forTarget(CONTAINER)
          .checksFor(ref, await registryEvidence(repo, ref))
      )[0];
    const mismatch = await withoutRoot('*@nirmata.com');
    assert.equal(mismatch.outcome, 'fail');
    assert.match(mismatch.detail, /signed by alice@example\.test .*which matches no configured OIDC identity/);
    const match = await withoutRoot('alice@*');
    assert.equal(match.outcome, 'out-of-reach');
    assert.match(
      match.detail,
      /the certificate names alice@example\.test .*its chain is checked against the Sigstore root the cluster uses, which is not configured here/,
    );
  });

  test('keyless with the default type Cosign reads only .sig signatures, so a bundle-only keyless signature fails', async () => {
    const asDocumented = policyFixture('kyverno-check-image-keyless-regexp.yaml', images('HOST/team/app:*'));
    const [check] = await checks([asDocumented], 'keyless');
    assert.equal(check.outcome, 'fail');
    assert.match(
      check.detail,
      /no \.sig signature is attached; the candidate has Sigstore bundle signatures, which Kyverno reads only with type: SigstoreBundle/,
    );
  });

  test('a Notary certificates attestor passes with the signing certificate and fails with another', async () => {
    const notation = (cert: string) =>
      policyFixture('kyverno-check-image-notary.yaml', (doc) => {
        images('HOST/team/app*')(doc);
        doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'certificates', 'cert'], cert);
      });
    const [ok] = await checks([notation(notary.certificatePem)], 'notation');
    assert.equal(ok.outcome, 'pass', ok.detail);
    const [other] = await checks([notation(generateTestCertificate({ commonName: 'someone.else' }).certificatePem)], 'notation');
    assert.equal(other.outcome, 'fail');
    assert.match(other.detail, /no certificate of the signature's chain is in the trust stores/);
  });

  test('a required attestation that is not attached fails the rule; one that is attached is out of reach', async () => {
    const attest = policyFixture('kyverno-attest-code-review.yaml', images('HOST/team/app*'));
    const [missing] = await checks([attest], 'key');
    assert.equal(missing.outcome, 'fail');
    assert.match(missing.detail, /attestations\[0\]: no attestation of type https:\/\/example\.com\/CodeReview\/v1 is attached/);
    const [present] = await checks([attest], 'key', CONTAINER, ['https://example.com/CodeReview/v1']);
    assert.equal(present.outcome, 'out-of-reach');
    assert.match(present.detail, /who signed it and its conditions are not checked here/);
  });

  test('verifyDigest fails a tag-only image when mutateDigest is off, and passes once mutateDigest pins it', async () => {
    const noMutate = checkImage(signer, (doc) => doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'mutateDigest'], false));
    const [check] = await checks([noMutate], 'key');
    assert.equal(check.outcome, 'fail');
    assert.match(check.detail, /verifyDigest requires a digest, .*:v1 has only a tag and mutateDigest is false/);
    const [pinned] = await checks([checkImage(signer)], 'key');
    assert.match(pinned.detail, /mutateDigest pins .*:v1 to its digest/);
  });

  test('an image volume is not read by a rule without imageExtractors for spec.volumes, which is a warning', async () => {
    const [check] = await checks([checkImage(stranger)], 'key', VOLUME);
    assert.equal(check.outcome, 'warn');
    assert.match(check.detail, /the image volume is admitted without this verification/);
    const withExtractor = checkImage(stranger, (doc) =>
      doc.setIn(['spec', 'rules', 0, 'imageExtractors'], { Pod: [{ path: '/spec/volumes/*/image/reference' }] }),
    );
    assert.equal((await checks([withExtractor], 'key', VOLUME))[0].outcome, 'fail');
  });

  test('match blocks: kinds and namespaces are evaluated, and a namespaced Policy meets only its namespace', async () => {
    const onlyDeployments = checkImage(signer, (doc) =>
      doc.setIn(['spec', 'rules', 0, 'match', 'any', 0, 'resources', 'kinds'], ['Service']),
    );
    assert.deepEqual(await checks([onlyDeployments], 'key'), []);
    const otherNamespace = checkImage(signer, (doc) =>
      doc.setIn(['spec', 'rules', 0, 'match', 'any', 0, 'resources', 'namespaces'], ['prod-*']),
    );
    assert.deepEqual(await checks([otherNamespace], 'key'), []);
    assert.equal((await checks([otherNamespace], 'key', { ...CONTAINER, namespace: 'prod-eu' })).length, 1);
    // A Deployment's Pods are admitted as Pods: the Pod rule meets them.
    assert.equal((await checks([checkImage(signer)], 'key', { ...CONTAINER, kind: 'Deployment' })).length, 1);
    const namespaced = checkImage(signer, (doc) => {
      doc.set('kind', 'Policy');
      doc.setIn(['metadata', 'namespace'], 'team-a');
    });
    assert.deepEqual(await checks([namespaced], 'key'), []);
    assert.equal(
      (await checks([namespaced], 'key', { ...CONTAINER, namespace: 'team-a' }))[0].check,
      'Kyverno Policy check-image / rule check-image',
    );
  });

  test('an ImageValidatingPolicy (CEL) is reported as out of reach', async () => {
    const [check] = await checks([policyFixture('kyverno-image-validating-policy.yaml')], 'key');
    assert.equal(check.outcome, 'out-of-reach');
    assert.equal(check.check, 'Kyverno ImageValidatingPolicy require-vulnerability-scan');
    assert.match(check.detail, /CEL/);
  });
});
