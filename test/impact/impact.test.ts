import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { OciClient, parseReference, type Reference, type RepositoryApi } from '../../src/oci';
import { appendCosignSignature, cosignSignatureLayer } from '../../src/signing/cosignSignatureTag';
import {
  createKeyBundle,
  dockerReference,
  generateTestCertificate,
  pushSigstoreBundle,
  signKeyless,
  signWithCosignKey,
  signWithNotation,
  trustPolicyDocument,
} from '../../src/signing';
import type { AdmissionPolicies, ConsumerImpact, ImpactReport } from '../../src/gitops/impact/contract';
import { impactOf } from '../../src/gitops/impact/impact';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { identityToken, startSigstore, type RunningSigstore } from '../support/sigstoreServer';
import { base64, cosignKeyPair, fixture, pushCandidate, workspace } from './workspaceFixtures';

const FLUX_LAYER = 'application/vnd.cncf.flux.content.v1.tar+gzip';

// Each test has its own repository in one CNCF Distribution (no referrers API: bundles and
// notation signatures live in the sha256-<hex> fallback index), and its own workspace made of
// the upstream documentation's examples (test/fixtures/impact/PROVENANCE.md).
describe('impact of a candidate on the workspace consumers written as the upstream docs show them', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let sigstore: RunningSigstore;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    sigstore = await startSigstore();
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
    await sigstore?.stop();
  });

  const repoOf = (name: string): RepositoryApi => client.repository(parseReference(`${registry.host}/${name}/podinfo`));
  const where = (name: string) => `${registry.host}/${name}/podinfo`;
  const impact = (candidate: Reference, dir: string): Promise<ImpactReport> =>
    impactOf({ candidate, files: [dir], registry: { repository: (registry, repository) => client.repository({ registry, repository }) } });
  const candidate = (name: string, tag: string): Reference => ({ registry: registry.host, repository: `${name}/podinfo`, tag });
  const only = (report: ImpactReport): ConsumerImpact => {
    assert.equal(report.consumers.length, 1, JSON.stringify(report.consumers, null, 2));
    return report.consumers[0];
  };
  const failing = (impact: ConsumerImpact) =>
    impact.checks
      .filter((c) => c.outcome === 'fail')
      .map((c) => c.detail)
      .join('\n');
  const fluxInstance = (version: string) => fixture('flux-instance.yaml', '', { '"2.3.x"': `"${version}"` });
  /** The docs' cosign-key consumer trusting `publicPem`, under a FluxInstance of `fluxVersion` when one is given. */
  const keyWorkspace = (name: string, publicPem: string, fluxVersion?: string) =>
    workspace({
      'podinfo.yaml': fixture('flux-cosign-keys.yaml', where(name), { '<BASE64>': base64(publicPem) }),
      ...(fluxVersion ? { 'flux-system/flux-instance.yaml': fluxInstance(fluxVersion) } : {}),
    });
  /** Pushes `latest` signed by `key` only as a Sigstore bundle referrer (cosign 3's format). */
  const bundleOnly = async (name: string, key: KeyObject) => {
    const repo = repoOf(name);
    const subject = await pushCandidate(repo, 'latest');
    await pushSigstoreBundle(repo, subject, await createKeyBundle(key, subject.digest));
    return { repo, subject };
  };
  /** Pushes `latest` signed keyless through the mock Fulcio as `subject` from `issuer`. */
  const signedKeyless = async (name: string, issuer: string, subject: string) => {
    const repo = repoOf(name);
    const artifact = await pushCandidate(repo, 'latest');
    const token = identityToken({ iss: issuer, sub: subject, email_verified: true });
    await signKeyless(repo, artifact, {
      identityToken: token,
      fulcioURL: sigstore.fulcioURL,
      rekorURL: sigstore.rekorURL,
      timeoutMs: 10_000,
    });
  };
  /** The docs' trustedRootSecretRef consumer with the mock Sigstore's root, under a FluxInstance of `fluxVersion`. */
  const trustedRootWorkspace = (name: string, fluxVersion: string) =>
    workspace({
      'podinfo.yaml': fixture('flux-keyless-trusted-root.yaml', where(name), { '<BASE64>': base64(JSON.stringify(sigstore.trustedRoot)) }),
      'flux-system/flux-instance.yaml': fluxInstance(fluxVersion),
    });
  const DOCS_ISSUER = 'https://oidc-issuer.example.com';
  const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

  test('a semver consumer with semverFilter picks a new release candidate: its pick moves from the previous one', async () => {
    const repo = repoOf('semver');
    for (const tag of ['6.0.0', '6.1.0-rc.1', '6.1.0']) await pushCandidate(repo, tag);
    await pushCandidate(repo, '6.2.0-rc.1');
    const dir = workspace({ 'podinfo.yaml': fixture('flux-semver-filter.yaml', where('semver')) });
    const found = only(await impact(candidate('semver', '6.2.0-rc.1'), dir));
    assert.equal(found.consumer.kind, 'OCIRepository');
    assert.deepEqual(found.consumer.selector, { type: 'semver', range: '>= 6.1.x-0', filter: '.*-rc.*' });
    assert.deepEqual(found.pick, { outcome: 'picks', before: '6.1.0-rc.1', after: '6.2.0-rc.1' });
    assert.equal(found.acceptance, 'accepts');
  });

  test('a release the semverFilter leaves out is not picked, and the consumer stays on its current tag', async () => {
    const repo = repoOf('semver-out');
    for (const tag of ['6.1.0-rc.1', '6.2.0']) await pushCandidate(repo, tag);
    const dir = workspace({ 'podinfo.yaml': fixture('flux-semver-filter.yaml', where('semver-out')) });
    const { pick } = only(await impact(candidate('semver-out', '6.2.0'), dir));
    assert.equal(pick.outcome, 'not-picked');
    assert.equal(pick.outcome === 'not-picked' && pick.current, '6.1.0-rc.1');
    assert.match(pick.outcome === 'not-picked' ? pick.reason : '', /does not satisfy >= 6\.1\.x-0 with semverFilter \.\*-rc\.\*/);
  });

  test('a consumer pinned to a digest is left alone whatever is pushed', async () => {
    const repo = repoOf('pinned');
    const current = await pushCandidate(repo, '1.0.0');
    await pushCandidate(repo, '1.1.0');
    const dir = workspace({ 'pinned.yaml': fixture('flux-digest.yaml', where('pinned'), { 'sha256:<SHA-value>': current.digest }) });
    const found = only(await impact(candidate('pinned', '1.1.0'), dir));
    assert.deepEqual(found.pick, { outcome: 'pinned', pinned: current.digest });
    assert.equal(found.consumer.declaredAt.line, 10);
  });

  test('cosign key from a workspace Secret: a signed candidate is accepted', async () => {
    const repo = repoOf('keys');
    const keys = cosignKeyPair();
    const subject = await pushCandidate(repo, 'latest');
    await signWithCosignKey(repo, subject, keys.privateKey);
    const dir = workspace({ 'podinfo.yaml': fixture('flux-cosign-keys.yaml', where('keys'), { '<BASE64>': base64(keys.publicPem) }) });
    const found = only(await impact(candidate('keys', 'latest'), dir));
    assert.deepEqual(found.pick, { outcome: 'picks', after: 'latest' });
    assert.equal(found.acceptance, 'accepts', failing(found));
    assert.match(found.checks.find((c) => c.check === 'Flux spec.verify (cosign key)')?.detail ?? '', /cosign-public-keys\/key1\.pub/);
  });

  test('cosign key: a candidate signed by another key is refused, and the check points at the OCIRepository', async () => {
    const repo = repoOf('other-key');
    const subject = await pushCandidate(repo, 'latest');
    await signWithCosignKey(repo, subject, cosignKeyPair().privateKey);
    const dir = workspace({
      'podinfo.yaml': fixture('flux-cosign-keys.yaml', where('other-key'), { '<BASE64>': base64(cosignKeyPair().publicPem) }),
    });
    const found = only(await impact(candidate('other-key', 'latest'), dir));
    assert.equal(found.acceptance, 'refuses');
    const check = found.checks.find((c) => c.outcome === 'fail');
    assert.match(check?.detail ?? '', /does not verify/);
    assert.deepEqual(check?.declaredAt, { file: `${dir}/podinfo.yaml`, line: 10 });
  });

  test('Flux 2.7 reads only the .sig tag: a candidate signed only as a Sigstore bundle is refused', async () => {
    const keys = cosignKeyPair();
    await bundleOnly('flux27-bundle', keys.privateKey);
    const dir = keyWorkspace('flux27-bundle', keys.publicPem, '2.7.x');
    const found = only(await impact(candidate('flux27-bundle', 'latest'), dir));
    assert.equal(found.acceptance, 'refuses');
    assert.match(failing(found), /only a Sigstore bundle \(cosign v3\), which Flux 2\.7\.x does not read.*source-controller#1923/);
    assert.equal(found.checks.find((c) => c.outcome === 'fail')?.declaredAt?.file, `${dir}/flux-system/flux-instance.yaml`);
  });

  test('Flux 2.7 accepts the same key once the legacy .sig signature is there too', async () => {
    const keys = cosignKeyPair();
    const { repo, subject } = await bundleOnly('flux27-sig', keys.privateKey);
    await appendCosignSignature(
      repo,
      subject.digest,
      keys.privateKey,
      cosignSignatureLayer(keys.privateKey, dockerReference(repo), subject.digest),
    );
    const found = only(await impact(candidate('flux27-sig', 'latest'), keyWorkspace('flux27-sig', keys.publicPem, '2.7.x')));
    assert.equal(found.acceptance, 'accepts', failing(found));
    assert.match(found.checks[0].detail, /\.sig layer/);
  });

  test('Flux 2.8 accepts a candidate signed only as a Sigstore bundle', async () => {
    const keys = cosignKeyPair();
    await bundleOnly('flux28-bundle', keys.privateKey);
    const found = only(await impact(candidate('flux28-bundle', 'latest'), keyWorkspace('flux28-bundle', keys.publicPem, '2.8.x')));
    assert.equal(found.acceptance, 'accepts', failing(found));
    assert.match(found.checks[0].detail, /^referrer sha256:/);
  });

  test('the cosign key can come from a kustomize secretGenerator file', async () => {
    const repo = repoOf('generator');
    const keys = cosignKeyPair();
    const subject = await pushCandidate(repo, 'latest');
    await signWithCosignKey(repo, subject, keys.privateKey);
    const source = fixture('flux-cosign-keys.yaml', where('generator'), {}).split('\n---\napiVersion: v1')[0];
    const dir = workspace({
      'apps/podinfo.yaml': source.replace('name: cosign-public-keys', 'name: cosign-pub'),
      'apps/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - podinfo.yaml\nsecretGenerator:\n  - name: cosign-pub\n    files:\n      - cosign.pub\n',
      'apps/cosign.pub': keys.publicPem,
    });
    const found = only(await impact(candidate('generator', 'latest'), dir));
    assert.equal(found.acceptance, 'accepts', failing(found));
    assert.match(found.checks[0].detail, /cosign-pub\/cosign\.pub/);
  });

  test('a verify Secret the workspace does not hold makes the verdict unknown, not a refusal', async () => {
    const repo = repoOf('no-secret');
    await pushCandidate(repo, 'latest');
    const source = fixture('flux-cosign-keys.yaml', where('no-secret')).split('\n---\napiVersion: v1')[0];
    const found = only(await impact(candidate('no-secret', 'latest'), workspace({ 'podinfo.yaml': source })));
    assert.equal(found.acceptance, 'unknown');
    assert.equal(found.checks[0].outcome, 'out-of-reach');
    assert.match(found.checks[0].detail, /the Secret default\/cosign-public-keys is not in the workspace/);
  });

  test('a verify Secret declared in another namespace is not the one Flux reads', async () => {
    const repo = repoOf('other-namespace');
    await pushCandidate(repo, 'latest');
    const text = fixture('flux-cosign-keys.yaml', where('other-namespace'), { '<BASE64>': base64(cosignKeyPair().publicPem) }).replace(
      'name: cosign-public-keys\ntype: Opaque',
      'name: cosign-public-keys\n  namespace: flux-system\ntype: Opaque',
    );
    const found = only(await impact(candidate('other-namespace', 'latest'), workspace({ 'podinfo.yaml': text })));
    assert.equal(found.acceptance, 'unknown');
    assert.match(found.checks[0].detail, /declared in namespace flux-system, not default/);
  });

  test('a SOPS-encrypted verify Secret is out of reach', async () => {
    const repo = repoOf('sops');
    await pushCandidate(repo, 'latest');
    const text = fixture('flux-cosign-keys.yaml', where('sops'), { '<BASE64>': 'ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]' });
    const found = only(await impact(candidate('sops', 'latest'), workspace({ 'podinfo.yaml': `${text}sops:\n  version: 3.9.0\n` })));
    assert.equal(found.acceptance, 'unknown');
    assert.match(found.checks[0].detail, /SOPS-encrypted/);
  });

  test('keyless with trustedRootSecretRef: a signer that matches no matchOIDCIdentity is refused', async () => {
    await signedKeyless('keyless-mismatch', DOCS_ISSUER, 'https://ci.other.example/job');
    const found = only(await impact(candidate('keyless-mismatch', 'latest'), trustedRootWorkspace('keyless-mismatch', '2.9.x')));
    assert.equal(found.acceptance, 'refuses');
    assert.match(failing(found), /https:\/\/ci\.other\.example\/job.*matches no configured OIDC identity/);
  });

  test('keyless with trustedRootSecretRef: the identity the docs name is accepted', async () => {
    await signedKeyless('keyless-match', DOCS_ISSUER, 'https://ci.example.com/pipelines/7');
    const found = only(await impact(candidate('keyless-match', 'latest'), trustedRootWorkspace('keyless-match', '2.9.x')));
    assert.equal(found.acceptance, 'accepts', failing(found));
  });

  test('Flux 2.8 has no trustedRootSecretRef: the custom root is not used, so the verdict is unknown', async () => {
    await signedKeyless('keyless-flux28', DOCS_ISSUER, 'https://ci.example.com/pipelines/7');
    const found = only(await impact(candidate('keyless-flux28', 'latest'), trustedRootWorkspace('keyless-flux28', '2.8.x')));
    assert.equal(found.acceptance, 'unknown');
    assert.match(found.checks[0].detail, /Flux 2\.8\.x ignores trustedRootSecretRef/);
  });

  test('notation: a certificate in the Secret that signed the candidate is accepted', async () => {
    const repo = repoOf('notation');
    const certificate = generateTestCertificate({ commonName: 'podinfo.example' });
    const subject = await pushCandidate(repo, 'latest');
    await signWithNotation(repo, subject, certificate.privateKey, [certificate.certificateDer]);
    const policy = JSON.stringify(trustPolicyDocument('podinfo'));
    const dir = workspace({
      'podinfo.yaml': fixture('flux-notation.yaml', where('notation'), {
        'certificate1.pem: <BASE64>': `certificate1.pem: ${base64(certificate.certificatePem)}`,
        'trustpolicy.json: <BASE64>': `trustpolicy.json: ${base64(policy)}`,
      }),
    });
    const found = only(await impact(candidate('notation', 'latest'), dir));
    assert.equal(found.acceptance, 'accepts', failing(found));
  });

  test('notation: a Secret holding another certificate refuses the candidate', async () => {
    const repo = repoOf('notation-other');
    const signer = generateTestCertificate({ commonName: 'podinfo.example' });
    const other = generateTestCertificate({ commonName: 'someone-else.example' });
    const subject = await pushCandidate(repo, 'latest');
    await signWithNotation(repo, subject, signer.privateKey, [signer.certificateDer]);
    const dir = workspace({
      'podinfo.yaml': fixture('flux-notation.yaml', where('notation-other'), {
        'certificate1.pem: <BASE64>': `certificate1.pem: ${base64(other.certificatePem)}`,
        'trustpolicy.json: <BASE64>': `trustpolicy.json: ${base64(JSON.stringify(trustPolicyDocument('podinfo')))}`,
      }),
    });
    const found = only(await impact(candidate('notation-other', 'latest'), dir));
    assert.equal(found.acceptance, 'refuses');
  });

  test('a layerSelector whose media type is on no layer of the candidate refuses it', async () => {
    const repo = repoOf('selector');
    await pushCandidate(repo, 'latest');
    const found = only(
      await impact(candidate('selector', 'latest'), workspace({ 'podinfo.yaml': fixture('flux-layer-selector.yaml', where('selector')) })),
    );
    assert.equal(found.acceptance, 'refuses');
    assert.match(failing(found), /failed to find layer with media type application\/vnd\.cncf\.helm\.chart\.content\.v1\.tar\+gzip/);
  });

  test("Argo CD refuses Flux's own layer type, which its default allowlist leaves out", async () => {
    const repo = repoOf('argo-flux-layer');
    await pushCandidate(repo, '1.16.1', FLUX_LAYER);
    const found = only(
      await impact(
        candidate('argo-flux-layer', '1.16.1'),
        workspace({ 'app.yaml': fixture('argo-oci-application.yaml', where('argo-flux-layer')) }),
      ),
    );
    assert.equal(found.consumer.kind, 'Application');
    assert.deepEqual(found.pick, { outcome: 'picks', after: '1.16.1' });
    assert.equal(found.acceptance, 'refuses');
    assert.match(
      failing(found),
      /oci layer media type application\/vnd\.cncf\.flux\.content\.v1\.tar\+gzip is not in the list of allowed media types/,
    );
  });

  test('Argo CD accepts that layer type once argocd-cmd-params-cm allows it', async () => {
    const repo = repoOf('argo-allowed');
    await pushCandidate(repo, '1.16.1', FLUX_LAYER);
    const params = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cmd-params-cm\n  namespace: argocd\ndata:\n  reposerver.oci.layer.media.types: "application/vnd.oci.image.layer.v1.tar+gzip,${FLUX_LAYER}"\n`;
    const dir = workspace({ 'app.yaml': fixture('argo-oci-application.yaml', where('argo-allowed')), 'argocd/params.yaml': params });
    const found = only(await impact(candidate('argo-allowed', '1.16.1'), dir));
    assert.equal(found.acceptance, 'accepts', failing(found));
  });

  test('keyless against Sigstore public-good: the certificate names another identity, so Flux refuses it whatever the root says', async () => {
    await signedKeyless('public-good-mismatch', GITHUB_ISSUER, 'https://github.com/someone/else/.github/workflows/x.yml@refs/heads/main');
    const dir = workspace({ 'podinfo.yaml': fixture('flux-keyless-github.yaml', where('public-good-mismatch')) });
    const found = only(await impact(candidate('public-good-mismatch', 'latest'), dir));
    assert.equal(found.acceptance, 'refuses');
    assert.match(failing(found), /someone\/else.*matches no configured OIDC identity/);
  });

  test('keyless against Sigstore public-good with a matching identity is unknown: the chain is checked only in the cluster', async () => {
    await signedKeyless(
      'public-good-match',
      GITHUB_ISSUER,
      'https://github.com/stefanprodan/podinfo/.github/workflows/release.yml@refs/tags/6.2.0',
    );
    const dir = workspace({ 'podinfo.yaml': fixture('flux-keyless-github.yaml', where('public-good-match')) });
    const found = only(await impact(candidate('public-good-match', 'latest'), dir));
    assert.equal(found.acceptance, 'unknown');
    assert.match(found.checks[0].detail, /public-good root, which Flux fetches through TUF/);
  });

  test('the Flux version of a gotk-components.yaml header decides the signature format: v2.7.0 refuses a bundle-only candidate', async () => {
    const keys = cosignKeyPair();
    await bundleOnly('gotk27', keys.privateKey);
    const dir = workspace({
      'podinfo.yaml': fixture('flux-cosign-keys.yaml', where('gotk27'), { '<BASE64>': base64(keys.publicPem) }),
      'flux-system/gotk-components.yaml':
        '---\n# This manifest was generated by flux. DO NOT EDIT.\n# Flux Version: v2.7.0\n# Components: source-controller,kustomize-controller\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
    });
    const found = only(await impact(candidate('gotk27', 'latest'), dir));
    assert.equal(found.acceptance, 'refuses');
    assert.match(failing(found), /Flux v2\.7\.0 does not read/);
  });

  test('without a Flux version in the workspace, a pass that rests on a bundle alone is a warning', async () => {
    const keys = cosignKeyPair();
    await bundleOnly('no-version', keys.privateKey);
    const found = only(await impact(candidate('no-version', 'latest'), keyWorkspace('no-version', keys.publicPem)));
    assert.equal(found.acceptance, 'accepts');
    assert.equal(found.checks[0].outcome, 'warn');
    assert.match(found.checks[0].detail, /Flux reads from 2\.8/);
  });

  test('an image-volume consumer meets the admission policies: a failing policy check refuses the candidate', async () => {
    const repo = repoOf('volume');
    await pushCandidate(repo, '1.0.0');
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n    - name: app\n      image: busybox\n  volumes:\n    - name: data\n      image:\n        reference: ${where('volume')}:1.0.0\n`;
    const asked: Array<{ image: Reference; digest: string }> = [];
    const admission: AdmissionPolicies = {
      checksFor: async (image, evidence) => {
        asked.push({ image, digest: evidence.digest });
        return [{ check: 'Kyverno ClusterPolicy check-images / rule verify', outcome: 'fail', detail: 'no signature by the policy key' }];
      },
    };
    const report = await impactOf({
      candidate: candidate('volume', '1.0.0'),
      files: [workspace({ 'pod.yaml': pod })],
      registry: { repository: (r, n) => client.repository({ registry: r, repository: n }) },
      admission,
    });
    const found = only(report);
    assert.deepEqual([found.consumer.kind, found.pick, found.acceptance], ['Pod', { outcome: 'picks', after: '1.0.0' }, 'refuses']);
    assert.deepEqual(asked, [
      { image: { registry: registry.host, repository: 'volume/podinfo', tag: '1.0.0' }, digest: report.candidate.digest },
    ]);
  });

  test('a HelmRelease chart version range picks a new chart version read as Helm reads tags', async () => {
    const repo = client.repository(parseReference(`${registry.host}/charts/podinfo`));
    for (const tag of ['6.0.0', '6.1.0', '7.0.0']) await pushCandidate(repo, tag, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    await pushCandidate(repo, '6.2.0_build.1', 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    const release = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\nspec:\n  type: oci\n  interval: 5m\n  url: oci://${registry.host}/charts\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`;
    const found = only(
      await impactOf({
        candidate: { registry: registry.host, repository: 'charts/podinfo', tag: '6.2.0_build.1' },
        files: [workspace({ 'release.yaml': release })],
        registry: { repository: (r, n) => client.repository({ registry: r, repository: n }) },
      }),
    );
    assert.deepEqual(found.pick, { outcome: 'picks', before: '6.1.0', after: '6.2.0_build.1' });
  });

  test("a HelmRelease chart.spec.verify is the HelmChart's: a chart signed by another key is refused", async () => {
    const repo = client.repository(parseReference(`${registry.host}/verified-charts/podinfo`));
    const chart = await pushCandidate(repo, '1.0.0', 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    await signWithCosignKey(repo, chart, cosignKeyPair().privateKey);
    const release = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\nspec:\n  type: oci\n  interval: 5m\n  url: oci://${registry.host}/verified-charts\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      version: "1.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n      verify:\n        provider: cosign\n        secretRef:\n          name: cosign-public-keys\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: cosign-public-keys\nstringData:\n  cosign.pub: |\n${cosignKeyPair().publicPem.replace(/^/gm, '    ')}`;
    const found = only(
      await impactOf({
        candidate: { registry: registry.host, repository: 'verified-charts/podinfo', tag: '1.0.0' },
        files: [workspace({ 'release.yaml': release })],
        registry: { repository: (r, n) => client.repository({ registry: r, repository: n }) },
      }),
    );
    assert.deepEqual([found.consumer.kind, found.pick, found.acceptance], ['HelmRelease', { outcome: 'picks', after: '1.0.0' }, 'refuses']);
    assert.match(failing(found), /does not verify/);
  });

  test('an Argo CD targetRevision range picks the highest matching tag, and a higher one elsewhere keeps it', async () => {
    const repo = repoOf('argo-range');
    for (const tag of ['1.0.0', '1.5.0']) await pushCandidate(repo, tag);
    await pushCandidate(repo, '1.2.0');
    const app = fixture('argo-oci-application.yaml', where('argo-range')).replace(
      'targetRevision: 1.16.1',
      'targetRevision: ">=1.0.0 <2.0.0"',
    );
    const found = only(await impact(candidate('argo-range', '1.2.0'), workspace({ 'app.yaml': app })));
    assert.deepEqual(found.pick, { outcome: 'not-picked', current: '1.5.0', reason: '1.2.0 satisfies >=1.0.0 <2.0.0 but 1.5.0 is higher' });
  });

  test('a reference with neither tag nor digest names latest, which an OCIRepository without ref pulls', async () => {
    const repo = repoOf('untagged');
    await pushCandidate(repo, 'latest', 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    const dir = workspace({ 'podinfo.yaml': fixture('flux-layer-selector.yaml', where('untagged')) });
    const report = await impact({ registry: registry.host, repository: 'untagged/podinfo' }, dir);
    assert.equal(report.candidate.tag, 'latest');
    const found = only(report);
    assert.deepEqual(
      [found.consumer.selector, found.pick, found.acceptance],
      [{ type: 'latest' }, { outcome: 'picks', after: 'latest' }, 'accepts'],
    );
  });

  test('consumers of other repositories are not listed', async () => {
    const repo = repoOf('elsewhere');
    await pushCandidate(repo, 'latest');
    const report = await impact(
      candidate('elsewhere', 'latest'),
      workspace({ 'podinfo.yaml': fixture('flux-layer-selector.yaml', where('someone-else')) }),
    );
    assert.deepEqual(report.consumers, []);
  });
});
