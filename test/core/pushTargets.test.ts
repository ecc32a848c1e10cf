import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { PUSH_TARGETS_FILE, readPushTargets, writePushTarget } from '../../src/artifact/pushTargets';
import { argoApplicationYaml, fluxOciRepositoryYaml } from '../../src/gitops/scaffold';
import { parseReference } from '../../src/oci';

describe('remembered push targets (.oci-gitops.yaml)', () => {
  test('a target written for a folder reads back, and other entries and comments survive', async () => {
    const root = mkdtempSync(join(tmpdir(), 'targets-'));
    writeFileSync(join(root, PUSH_TARGETS_FILE), '# team file\npush:\n  infra:\n    reference: ghcr.io/org/infra:1.0.0\n');
    await writePushTarget(root, 'apps/web', { reference: 'ghcr.io/org/web:2.0.0', tags: ['latest'] });
    assert.deepEqual(await readPushTargets(root), {
      infra: { reference: 'ghcr.io/org/infra:1.0.0' },
      'apps/web': { reference: 'ghcr.io/org/web:2.0.0', tags: ['latest'] },
    });
    assert.match(readFileSync(join(root, PUSH_TARGETS_FILE), 'utf8'), /^# team file/);
  });

  test('no file means no targets; a broken file is a clear error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'targets-'));
    assert.deepEqual(await readPushTargets(root), {});
    writeFileSync(join(root, PUSH_TARGETS_FILE), 'push: [unclosed\n');
    await assert.rejects(readPushTargets(root), /is not valid YAML/);
  });
});

describe('YAML for consuming an artifact', () => {
  const ref = parseReference('registry.example.com/fleet/podinfo:1.2.0');
  const digest = `sha256:${'b'.repeat(64)}`;

  test('Flux: OCIRepository url without tag, ref.digest when pinned, and a Kustomization that uses it', () => {
    const [source, kustomization] = parseAllDocuments(fluxOciRepositoryYaml(ref, { pin: 'digest', digest })).map((d) => d.toJS());
    assert.equal(source.spec.url, 'oci://registry.example.com/fleet/podinfo');
    assert.deepEqual(source.spec.ref, { digest });
    assert.equal(source.spec.interval, '5m');
    assert.deepEqual(kustomization.spec.sourceRef, { kind: 'OCIRepository', name: 'podinfo' });
  });

  test('Flux: ref.tag when following the tag', () => {
    const [source] = parseAllDocuments(fluxOciRepositoryYaml(ref, { pin: 'tag' })).map((d) => d.toJS());
    assert.deepEqual(source.spec.ref, { tag: '1.2.0' });
  });

  test('Argo CD: oci:// repoURL, path ".", targetRevision the digest or tag', () => {
    const app = parseAllDocuments(argoApplicationYaml(ref, { pin: 'digest', digest }))[0].toJS();
    assert.equal(app.spec.source.repoURL, 'oci://registry.example.com/fleet/podinfo');
    assert.equal(app.spec.source.path, '.');
    assert.equal(app.spec.source.targetRevision, digest);
    assert.equal(app.spec.project, 'default');
    assert.equal(parseAllDocuments(argoApplicationYaml(ref, { pin: 'tag' }))[0].toJS().spec.source.targetRevision, '1.2.0');
  });
});
