import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { listArtifactFiles } from '../../src/artifact/contents';
import { EMPTY_DESCRIPTOR, isOciError, MediaType, parseReference, type ImageManifest } from '../../src/oci';
import { pushManifest, pushTektonBundle } from '../sandbox/seed';
import { cli } from '../support/cli';
import { extractsIdentically } from '../support/desktopFileSystem';
import { makeFolder } from '../support/folders';
import { gzip, leftovers, pushLayerArtifact, rawTar, type RawEntry } from '../support/hostileArtifacts';
import { useRegistry } from '../support/useRegistry';
import { zip } from '../support/archives';

const EMPTY = { mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') };
const files = (...names: string[]): RawEntry[] => names.map((name, i) => ({ name, content: `file: ${i}\n` }));

/**
 * Issue 27 (and issue 19 item 7): an artifact whose file names are not one file on Windows, macOS
 * and Linux is refused on Linux too, by pull, diff and the preview (listArtifactFiles, which the
 * `oci:` file system, the tree and the panel read through), whatever kind unpacks it, with a
 * message that names every entry and why, exit 1, and nothing written.
 */
describe('artifacts whose names are not the same files on every desktop, against a real Distribution', { timeout: 180_000 }, () => {
  const context = useRegistry({ auth: 'none' });
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-nonportable-'));
  const host = () => context.registry.host;

  const cases: { name: string; repository: string; push: () => Promise<unknown>; named: string[] }[] = [
    {
      name: 'App.yaml and app.yaml',
      repository: 'names/case',
      push: () => pushLayerArtifact(context.client, `${host()}/names/case`, '1', gzip(rawTar(files('App.yaml', 'app.yaml')))),
      named: ['"app.yaml": the same name as "App.yaml" but for case (one file on macOS and Windows)'],
    },
    {
      name: 'CON.yaml',
      repository: 'names/device',
      push: () => pushLayerArtifact(context.client, `${host()}/names/device`, '1', gzip(rawTar(files('CON.yaml', 'ok.yaml')))),
      named: ['"CON.yaml": a Windows device name (CON)'],
    },
    {
      name: 'c:d.yaml',
      repository: 'names/colon',
      push: () => pushLayerArtifact(context.client, `${host()}/names/colon`, '1', gzip(rawTar(files('c:d.yaml')))),
      named: ['"c:d.yaml": a name with ":", which Windows forbids'],
    },
    {
      name: 'x/aux',
      repository: 'names/nested-device',
      push: () => pushLayerArtifact(context.client, `${host()}/names/nested-device`, '1', gzip(rawTar(files('x/aux')))),
      named: ['"x/aux": "aux" is a Windows device name (AUX)'],
    },
    {
      name: '"trail. "',
      repository: 'names/trailing',
      push: () => pushLayerArtifact(context.client, `${host()}/names/trailing`, '1', gzip(rawTar(files('trail. ')))),
      named: ['"trail. ": a name ending in a dot or space, which Windows drops'],
    },
    {
      name: 'é composed and decomposed',
      repository: 'names/normalisation',
      push: () =>
        pushLayerArtifact(context.client, `${host()}/names/normalisation`, '1', gzip(rawTar(files('caf\u00e9.yaml', 'cafe\u0301.yaml')))),
      named: [
        '"caf\u00e9.yaml": the same name as "cafe\u0301.yaml" in another Unicode normalisation (composed here, decomposed there: one file on macOS)',
      ],
    },
    {
      name: 'a Tekton resource named with ESC, BEL and a newline',
      repository: 'names/tekton',
      push: () =>
        pushTektonBundle(context.client, `${host()}/names/tekton`, '1', [
          { kind: 'Task', name: 'lint\u001b]0;owned\u0007\n', yaml: 'apiVersion: tekton.dev/v1\nkind: Task\n' },
        ]),
      named: [
        '"task/lint\\u{1b}]0;owned\\u{7}\\u{a}.yaml": "lint\\u{1b}]0;owned\\u{7}\\u{a}.yaml" is a name with the unprintable character U+001B',
      ],
    },
    {
      name: "a Helm chart's templates differing in case",
      repository: 'names/helm',
      push: () =>
        pushManifest(
          context.client,
          `${host()}/names/helm`,
          '1',
          { mediaType: MediaType.HelmConfig, bytes: Buffer.from('{"name":"hello"}') },
          [
            {
              mediaType: MediaType.HelmChart,
              bytes: gzip(rawTar(files('hello/Chart.yaml', 'hello/templates/Svc.yaml', 'hello/templates/svc.yaml'))),
            },
          ],
        ),
      named: ['"hello/templates/svc.yaml": the same name as "hello/templates/Svc.yaml" but for case'],
    },
    {
      name: 'an OpenTofu module with a device name in its zip',
      repository: 'names/tofu',
      push: () =>
        pushManifest(
          context.client,
          `${host()}/names/tofu`,
          '1',
          EMPTY,
          [{ mediaType: 'archive/zip', bytes: zip({ 'main.tf': '', 'modules/nul.tf': '' }) }],
          { artifactType: 'application/vnd.opentofu.modulepkg' },
        ),
      named: ['"modules/nul.tf": "nul.tf" is a Windows device name (NUL)'],
    },
    {
      name: 'a KCL module with a trailing dot',
      repository: 'names/kcl',
      push: () =>
        pushManifest(
          context.client,
          `${host()}/names/kcl`,
          '1',
          EMPTY,
          [{ mediaType: MediaType.OciLayerTar, bytes: rawTar(files('kcl.mod', 'main.k.')) }],
          { artifactType: MediaType.OciLayerTar, annotations: { 'org.kcllang.package.name': 'web' } },
        ),
      named: ['"main.k.": a name ending in a dot or space'],
    },
    {
      name: 'ORAS files titled with a device name',
      repository: 'names/oras',
      push: () =>
        pushManifest(context.client, `${host()}/names/oras`, '1', EMPTY, [
          { mediaType: 'application/yaml', bytes: Buffer.from('a: 1\n'), annotations: { 'org.opencontainers.image.title': 'lpt1.yaml' } },
        ]),
      named: ['"lpt1.yaml": a Windows device name (LPT1)'],
    },
  ];

  for (const refused of cases) {
    describe(refused.name, () => {
      const reference = () => `${host()}/${refused.repository}:1`;
      before(() => refused.push());

      test('pull exits 1 naming the entries and why, and writes nothing', async () => {
        const folder = join(work, refused.repository.replace('/', '-'));
        const run = await cli(['pull', reference(), folder]);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, /not the same on Windows, macOS and Linux/);
        for (const named of refused.named) assert.ok(run.stderr.includes(named), `${named}\nin: ${run.stderr}`);
        assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f]/, 'no control character reaches the terminal');
        assert.deepEqual(leftovers(folder), [], 'no folder and no staging folder');
      });

      test('diff fails naming the entries', async () => {
        const run = await cli(['diff', makeFolder({ 'a.yaml': 'a: 1\n' }), reference()]);
        assert.notEqual(run.code, 0, run.stdout);
        for (const named of refused.named) assert.ok(run.stderr.includes(named), `${named}\nin: ${run.stderr}`);
        assert.equal(run.stdout, '', 'no file is listed');
      });

      test('the preview (the oci: file system, the tree, the panel) refuses the listing', async () => {
        const repo = context.client.repository(parseReference(reference()));
        const { manifest } = await repo.fetchManifest('1');
        await assert.rejects(listArtifactFiles(repo, manifest as ImageManifest), (error) => {
          assert.ok(isOciError(error, 'PROTOCOL'));
          for (const named of refused.named) assert.ok(error.message.includes(named), `${named}\nin: ${error.message}`);
          return true;
        });
      });
    });
  }

  test('one artifact holding every case is refused with each entry named', async () => {
    const names = ['App.yaml', 'app.yaml', 'CON.yaml', 'c:d.yaml', 'x/aux', 'trail. ', 'caf\u00e9.yaml', 'cafe\u0301.yaml', 'ok.yaml'];
    await pushLayerArtifact(context.client, `${host()}/names/all`, '1', gzip(rawTar(files(...names))));
    const run = await cli(['pull', `${host()}/names/all:1`, join(work, 'all')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /6 file names are not the same on Windows, macOS and Linux/);
    for (const name of ['"app.yaml"', '"CON.yaml"', '"c:d.yaml"', '"x/aux"', '"trail. "', '"caf\u00e9.yaml"'])
      assert.ok(run.stderr.includes(`${name}:`), `${name} in ${run.stderr}`);
    assert.ok(!run.stderr.includes('"ok.yaml"'));
    assert.deepEqual(leftovers(join(work, 'all')), []);
  });

  test('an artifact of portable names, accented and not, pulls whole and would extract the same on macOS and Windows', async () => {
    const names = ['kustomization.yaml', 'apps/r\u00e9sum\u00e9.yaml', "apps/it's (v2).yaml", 'console.yaml'];
    await pushLayerArtifact(context.client, `${host()}/names/portable`, '1', gzip(rawTar(files(...names))));
    const folder = join(work, 'portable');
    const run = await cli(['pull', `${host()}/names/portable:1`, folder]);
    assert.equal(run.code, 0, run.stderr);
    const pulled = new Map(names.map((name) => [name, readFileSync(join(folder, name))]));
    assert.deepEqual(readdirSync(join(folder, 'apps')).sort(), ["it's (v2).yaml", 'r\u00e9sum\u00e9.yaml']);
    assert.ok(extractsIdentically(pulled, 'macos') && extractsIdentically(pulled, 'windows'));
  });
});

describe('push of a folder whose names are not the same files on every desktop', { timeout: 120_000 }, () => {
  const context = useRegistry({ auth: 'none' });

  test('is refused before anything is packed, naming the entries, and nothing reaches the registry', async () => {
    const folder = makeFolder({ 'App.yaml': 'a: 1\n', 'app.yaml': 'a: 2\n', 'base/CON.yaml': 'c: 1\n' });
    const run = await cli(['push', folder, `${context.registry.host}/push/linux-only:1`]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /"app\.yaml": the same name as "App\.yaml" but for case/);
    assert.match(run.stderr, /"base\/CON\.yaml": "CON\.yaml" is a Windows device name \(CON\)/);
    assert.match(run.stderr, /--allow-nonportable-names/);
    const tags = await cli(['tags', `${context.registry.host}/push/linux-only`]);
    assert.equal(tags.stdout, '');
  });

  test('with --allow-nonportable-names pushes, warning with the entries on stderr', async () => {
    const folder = makeFolder({ 'App.yaml': 'a: 1\n', 'app.yaml': 'a: 2\n' });
    const run = await cli(['push', folder, `${context.registry.host}/push/linux-only:2`, '--allow-nonportable-names']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /^warning: pushing names that are not the same file on Windows, macOS and Linux: "app\.yaml": the same name as "App\.yaml"/m,
    );
    assert.match(run.stdout, /push\/linux-only@sha256:/);
  });
});
