import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { pushFolder } from '../../src/artifact/push';
import { validateYaml } from '../support/validateYaml';
import { LiveCache } from '../../src/gitops/live/liveCache';
import { checkLive, type LiveFindings } from '../../src/gitops/live/liveCheck';
import { trustBesideManifest } from '../../src/gitops/live/workspaceTrust';
import { OciClient, parseReference, type Descriptor } from '../../src/oci';
import { generateCosignKeyPair, signKeyless, signWithCosignKey, loadCosignPrivateKey } from '../../src/signing';
import { identityToken, startSigstore } from '../support/sigstoreServer';
import { cli } from '../support/cli';
import { makeFolder } from '../support/folders';
import { useRegistry } from '../support/useRegistry';

const flux = (host: string, ref: string, extra = '') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${host}/fleet/app
  ref:
    ${ref}
${extra}`;

const argo = (host: string, repository: string, revision: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
  namespace: argocd
spec:
  project: default
  source:
    repoURL: oci://${host}/${repository}
    targetRevision: ${revision}
    path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: app
`;

// A Deployment with a Kubernetes image volume (kubernetes/website content/en/docs/concepts/storage/
// volumes.md, "image"): the kubelet pulls `reference` the way it pulls a container image.
const imageVolume = (reference: string, pullPolicy = 'Always') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          volumeMounts:
            - name: site
              mountPath: /usr/share/nginx/html
      volumes:
        - name: site
          image:
            reference: ${reference}
            pullPolicy: ${pullPolicy}
`;

const codes = (found: LiveFindings) => found.diagnostics.map((d) => d.code).sort();

describe('live registry checks of OCIRepository, Application and image volume YAML', () => {
  const context = useRegistry({ auth: 'none' });
  let check: (text: string, trustFor?: Parameters<typeof checkLive>[1]['trustFor']) => Promise<LiveFindings>;
  let v1: Descriptor;
  let v2: Descriptor;
  const asDescriptor = (r: { digest: string; manifest: Buffer }): Descriptor => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: r.digest,
    size: r.manifest.length,
  });
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-live-'));
  let publicKey: string;

  before(async () => {
    const { client, registry } = context;
    const folder = makeFolder({ 'deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' });
    const created = '2026-11-20T10:00:00Z';
    v1 = asDescriptor(
      await pushFolder(client, folder, parseReference(`${registry.host}/fleet/app:1.0.0`), {
        created,
        source: 'https://example.com/fleet',
        revision: 'main@sha1:1',
      }),
    );
    writeFileSync(join(folder, 'deploy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    v2 = asDescriptor(
      await pushFolder(client, folder, parseReference(`${registry.host}/fleet/app:1.2.0`), {
        created,
        source: 'https://example.com/fleet',
        revision: 'main@sha1:2',
      }),
    );
    await pushFolder(client, folder, parseReference(`${registry.host}/fleet/flux-layout:1.0.0`), {
      created,
      format: 'flux',
      source: 'https://example.com/fleet',
      revision: 'main@sha1:2',
    });
    const keys = await generateCosignKeyPair('pw');
    publicKey = keys.publicKeyPem;
    await signWithCosignKey(
      client.repository(parseReference(`${registry.host}/fleet/app`)),
      v1,
      await loadCosignPrivateKey(keys.privateKeyPem, 'pw', 'cosign.key'),
    );
    check = (text, trustFor) =>
      checkLive(text, {
        repository: (ref) => client.repository(ref),
        cache: new LiveCache(),
        now: Date.parse('2026-11-23T10:00:00Z'),
        ...(trustFor ? { trustFor } : {}),
      });
  });

  test('a tag that exists gets a lens with its digest, age and signature state, and no finding', async () => {
    const found = await check(flux(context.registry.host, 'tag: 1.0.0'));
    assert.deepEqual(found.diagnostics, []);
    assert.equal(found.lenses.length, 1);
    assert.equal(found.lenses[0].digest, v1.digest);
    assert.equal(found.lenses[0].title, `→ ${v1.digest.slice(0, 19)}… · 3 days ago · signed`);
  });

  test('a semver constraint names the tag it picks and its digest', async () => {
    const found = await check(flux(context.registry.host, 'semver: ">=1.0.0 <2.0.0"'));
    assert.deepEqual(found.diagnostics, []);
    assert.equal(found.lenses[0].digest, v2.digest);
    assert.match(found.lenses[0].title, /^1\.2\.0 → sha256:/);
    assert.match(found.lenses[0].title, /unsigned$/);
  });

  test('a constraint no tag satisfies is an error that lists the versions there are', async () => {
    const found = await check(flux(context.registry.host, 'semver: ">=3.0.0"'));
    assert.deepEqual(codes(found), ['LIVE003']);
    assert.match(found.diagnostics[0].message, /1\.0\.0, 1\.2\.0|1\.2\.0, 1\.0\.0/);
  });

  test('a missing tag and a missing repository are errors at the ref and at the url', async () => {
    const text = flux(context.registry.host, 'tag: 9.9.9');
    const missingTag = await check(text);
    assert.deepEqual(codes(missingTag), ['LIVE002']);
    assert.equal(text.slice(missingTag.diagnostics[0].start, missingTag.diagnostics[0].end), '9.9.9');
    const missingRepo = await check(argo(context.registry.host, 'fleet/nothing-here', '1.0.0'));
    assert.deepEqual(codes(missingRepo), ['LIVE001']);
  });

  test('the pin-to-digest fix replaces the tag with the digest and keeps the tag as a comment', async () => {
    const text = argo(context.registry.host, 'fleet/app', '1.0.0');
    const [lens] = (await check(text)).lenses;
    const edit = lens.pin!.edits[0];
    const pinned = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    assert.match(pinned, new RegExp(`targetRevision: ${v1.digest} # targetRevision: 1\\.0\\.0\\n`));
    const again = await check(pinned);
    assert.deepEqual(again.diagnostics, []);
    assert.equal(again.lenses[0].pin, undefined, 'a digest is already pinned');
  });

  test('a source merged in from an anchor gets its lens, and no pin that would overwrite the merge key', async () => {
    const host = context.registry.host;
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
  namespace: argocd
spec:
  project: default
  sources:
    - &app
      repoURL: oci://${host}/fleet/app
      targetRevision: 1.0.0
      path: base
    - <<: *app
      path: overlays/production
  destination:
    server: https://kubernetes.default.svc
    namespace: app
`;
    const found = await check(text);
    assert.deepEqual(found.diagnostics, []);
    assert.deepEqual(
      found.lenses.map((l) => [l.digest, l.pin !== undefined]),
      [
        [v1.digest, true],
        [v1.digest, false],
      ],
    );
  });

  test('an image volume reference that exists gets a lens with its digest; a missing tag and repository are errors at the reference', async () => {
    const host = context.registry.host;
    const found = await check(imageVolume(`${host}/fleet/app:1.0.0`));
    assert.deepEqual(found.diagnostics, []);
    assert.equal(found.lenses[0].digest, v1.digest);
    assert.equal(found.lenses[0].resolved, `${host}/fleet/app@${v1.digest}`);
    const text = imageVolume(`${host}/fleet/app:9.9.9`);
    const missingTag = await check(text);
    assert.deepEqual(codes(missingTag), ['LIVE002']);
    assert.equal(text.slice(missingTag.diagnostics[0].start, missingTag.diagnostics[0].end), `${host}/fleet/app:9.9.9`);
    assert.match(missingTag.diagnostics[0].message, /Tag "9\.9\.9" does not exist in .*fleet\/app \(its tags include/);
    const missingRepo = await check(imageVolume(`${host}/fleet/nothing-here:1.0.0`));
    assert.deepEqual(codes(missingRepo), ['LIVE001']);
    assert.match(missingRepo.diagnostics[0].message, /Check the reference's spelling/);
    assert.deepEqual(codes(await check(imageVolume(`${host}/fleet/app@${v2.digest}`))), []);
  });

  test('pin to digest on an image volume writes host/repository@digest and keeps the tagged reference as a comment', async () => {
    const host = context.registry.host;
    const text = imageVolume(`${host}/fleet/app:1.2.0`, 'IfNotPresent');
    assert.deepEqual(
      validateYaml(text).map((d) => d.code),
      ['IMGVOL004'],
      'a tag IfNotPresent does not refresh',
    );
    const [lens] = (await check(text)).lenses;
    assert.equal(lens.pin!.title, `Pin to digest ${v2.digest.slice(0, 19)}…`);
    const edit = lens.pin!.edits[0];
    const pinned = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    assert.ok(pinned.includes(`\n            reference: ${host}/fleet/app@${v2.digest} # reference: ${host}/fleet/app:1.2.0\n`), pinned);
    const again = await check(pinned);
    assert.deepEqual(again.diagnostics, []);
    assert.equal(again.lenses[0].digest, v2.digest);
    assert.equal(again.lenses[0].pin, undefined, 'a digest is already pinned');
    assert.deepEqual(validateYaml(pinned), [], 'a digest does not move, whatever the pull policy');
  });

  test('spec.verify with no signature of that provider is an error', async () => {
    const verify = '  verify:\n    provider: cosign\n    secretRef:\n      name: cosign-pub\n';
    assert.deepEqual(codes(await check(flux(context.registry.host, 'tag: 1.2.0', verify))), ['LIVE005']);
    assert.deepEqual(codes(await check(flux(context.registry.host, 'tag: 1.0.0', verify))), []);
    const notation = '  verify:\n    provider: notation\n    secretRef:\n      name: trust\n';
    assert.deepEqual(codes(await check(flux(context.registry.host, 'tag: 1.0.0', notation))), ['LIVE005']);
  });

  test('spec.verify is checked with the cosign.pub the workspace holds for the Secret, and a wrong key is an error', async () => {
    const verify = '  verify:\n    provider: cosign\n    secretRef:\n      name: cosign-pub\n';
    const manifests = join(dir, 'clusters');
    mkdirSync(join(manifests, 'cosign-pub'), { recursive: true });
    writeFileSync(join(manifests, 'cosign-pub', 'cosign.pub'), publicKey);
    const good = await check(flux(context.registry.host, 'tag: 1.0.0', verify), (target) =>
      trustBesideManifest(join(manifests, 'source.yaml'), target),
    );
    assert.deepEqual(codes(good), []);
    assert.match(good.lenses[0].title, /signed ✓ verified$/);
    const other = join(dir, 'other');
    mkdirSync(join(other, 'cosign-pub'), { recursive: true });
    writeFileSync(join(other, 'cosign-pub', 'cosign.pub'), (await generateCosignKeyPair('x')).publicKeyPem);
    const bad = await check(flux(context.registry.host, 'tag: 1.0.0', verify), (target) =>
      trustBesideManifest(join(other, 'source.yaml'), target),
    );
    assert.deepEqual(codes(bad), ['LIVE006']);
  });

  test('keyless spec.verify is checked against matchOIDCIdentity with the trusted_root.json beside the manifest', async () => {
    const sigstore = await startSigstore();
    try {
      const repo = context.client.repository(parseReference(`${context.registry.host}/fleet/app`));
      const token = identityToken({
        iss: 'https://issuer.example.test',
        sub: 'ci@example.test',
        email: 'ci@example.test',
        email_verified: true,
      });
      await signKeyless(repo, v2, { identityToken: token, fulcioURL: sigstore.fulcioURL, rekorURL: sigstore.rekorURL });
      const folder = join(dir, 'keyless');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
      const verify = (subject: string) =>
        `  verify:\n    provider: cosign\n    matchOIDCIdentity:\n      - issuer: ^https://issuer\\.example\\.test$\n        subject: ${subject}\n`;
      const trust = (target: Parameters<typeof trustBesideManifest>[1]) => trustBesideManifest(join(folder, 'source.yaml'), target);
      const good = await check(flux(context.registry.host, 'tag: 1.2.0', verify('^ci@example\\.test$')), trust);
      assert.deepEqual(codes(good), []);
      assert.match(good.lenses[0].title, /signed ✓ verified$/);
      const stranger = await check(flux(context.registry.host, 'tag: 1.2.0', verify('^someone-else@example\\.test$')), trust);
      assert.deepEqual(codes(stranger), ['LIVE006']);
      assert.match(stranger.diagnostics[0].message, /matchOIDCIdentity/);
    } finally {
      await sigstore.stop();
    }
  });

  test('an Application pointing at a Flux-layout artifact is warned that Argo CD rejects its layer type, naming the setting', async () => {
    const found = await check(argo(context.registry.host, 'fleet/flux-layout', '1.0.0'));
    assert.deepEqual(codes(found), ['LIVE009']);
    assert.match(found.diagnostics[0].message, /reposerver\.oci\.layer\.media\.types/);
  });

  test('an unreachable registry is one info finding, however many references name it', async () => {
    const client = new OciClient({ timeoutMs: 2000 });
    const text = `${flux('127.0.0.1:9', 'tag: 1.0.0')}---\n${argo('127.0.0.1:9', 'fleet/app', '1.0.0')}`;
    const found = await checkLive(text, {
      repository: (ref) => client.repository(ref),
      cache: new LiveCache(),
    });
    await client.close();
    assert.deepEqual(codes(found), ['LIVE000']);
    assert.equal(found.diagnostics[0].severity, 'info');
  });

  test('oci-gitops validate --live reports a missing tag with exit code 1, and passes a resolvable file', async () => {
    const file = join(dir, 'app.yaml');
    const run = async () => {
      const { code, stdout } = await cli(['validate', '--live', '--format', 'json', file], { DOCKER_CONFIG: dir });
      return { code, findings: JSON.parse(stdout) as { code: string; line: number }[] };
    };
    writeFileSync(file, flux(context.registry.host, 'tag: 9.9.9'));
    const missing = await run();
    assert.equal(missing.code, 1);
    assert.deepEqual(
      missing.findings.map((f) => [f.code, f.line]),
      [['LIVE002', 10]],
    );
    writeFileSync(file, flux(context.registry.host, 'tag: 1.0.0'));
    const fine = await run();
    assert.deepEqual(fine, { code: 0, findings: [] });
  });

  test('oci-gitops validate --live checks an image volume: a missing tag is exit 1 at the reference line, an existing digest passes', async () => {
    const file = join(dir, 'web.yaml');
    const run = async () => {
      const { code, stdout } = await cli(['validate', '--live', '--format', 'json', file], { DOCKER_CONFIG: dir });
      return { code, findings: JSON.parse(stdout) as { code: string; line: number; severity: string }[] };
    };
    writeFileSync(file, imageVolume(`${context.registry.host}/fleet/app:9.9.9`, 'IfNotPresent'));
    const missing = await run();
    assert.equal(missing.code, 1);
    assert.deepEqual(
      missing.findings.map((f) => [f.code, f.severity, f.line]).sort((a, b) => (a[2] as number) - (b[2] as number)),
      [
        ['LIVE002', 'error', 24],
        ['IMGVOL004', 'warning', 25],
      ],
    );
    writeFileSync(file, imageVolume(`${context.registry.host}/fleet/app@${v1.digest}`, 'IfNotPresent'));
    assert.deepEqual(await run(), { code: 0, findings: [] });
  });
});
