import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { completeAt, hoverAt } from '../../src/gitops/authoring';
import { splitDocuments } from '../../src/gitops/documentChunks';
import { indexSources } from '../../src/gitops/engine';
import { validateYaml } from '../support/validateYaml';
import { sourceDeclarations, sourceReferenceAt } from '../../src/gitops/sourceReferences';
import { GitOpsValidator } from '../../src/gitops/validator';

const SOURCE = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    tag: 6.7.0
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  intervall: nonsense
`;

describe('the validator: schema and rules per document', () => {
  const validator = new GitOpsValidator();

  test('splitting keeps every byte and starts each document at its marker', () => {
    const text = `# header\n${SOURCE}---\n${CONFIGMAP}--- # third\nkind: x\n`;
    const chunks = splitDocuments(text);
    assert.equal(chunks.map((c) => c.text).join(''), text);
    assert.deepEqual(
      chunks.map((c) => text.startsWith('---', c.offset)),
      [false, true, true],
    );
    assert.equal(splitDocuments('%YAML 1.2\n---\na: 1\n').length, 1, 'a directive stays with its document');
  });

  test('a misspelt field is a schema error on that key, with the position in the file', async () => {
    const text = `${CONFIGMAP}---\n${SOURCE.replace('  interval: 5m\n', '  interval: 5m\n  intervall: 1m\n')}`;
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['SCHEMA'],
    );
    assert.equal(text.slice(found[0].start, found[0].end), 'intervall');
    assert.match(found[0].message, /Unknown field "intervall"/);
  });

  test('documents of other kinds are left alone', async () => {
    assert.deepEqual(await validator.validate(CONFIGMAP), []);
    assert.deepEqual(await validator.validate('apiVersion: example.com/v1\nkind: OCIRepository\nspec: 3\n'), []);
  });

  test('an enum value the CRD does not allow is a schema error', async () => {
    const found = await validator.validate(SOURCE.replace('  interval: 5m\n', '  interval: 5m\n  layerSelector:\n    operation: unpack\n'));
    assert.ok(
      found.some((d) => (d.code === 'SCHEMA' || d.code === 'OCI015') && /extract/.test(d.message)),
      JSON.stringify(found),
    );
    assert.equal(found.filter((d) => d.start === found[0].start).length, 1, 'a rule and the schema do not report the same thing twice');
  });

  test('a required field missing is reported once, by the rule that says what to write', async () => {
    const found = await validator.validate(SOURCE.replace('  interval: 5m\n', ''));
    assert.deepEqual(
      found.map((d) => d.code),
      ['OCI005'],
    );
  });

  test('the rules give the same findings as the rules-only engine, at the same offsets', async () => {
    const text = `${SOURCE.replace('ref:\n    tag: 6.7.0', 'ref:\n    tag: latest')}---\n${SOURCE.replace('url: oci://ghcr.io/stefanprodan/manifests/podinfo', 'url: oci://ghcr.io/x/y:1.0')}`;
    const rules = validateYaml(text);
    const all = (await validator.validate(text)).filter((d) => d.code !== 'SCHEMA');
    assert.deepEqual(all.map((d) => [d.code, d.start, d.end]).sort(), rules.map((d) => [d.code, d.start, d.end]).sort());
    const fix = all.find((d) => d.code === 'OCI004')!.fix!;
    const fixed = text.slice(0, fix.edits[0].start) + fix.edits[0].text + text.slice(fix.edits[0].end);
    assert.match(fixed, /url: oci:\/\/ghcr\.io\/x\/y\n/);
  });

  test('a sourceRef resolves to an OCIRepository in another document of the file, and a missing one is warned', async () => {
    const kustomization = (name: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: OCIRepository\n    name: ${name}\n`;
    assert.deepEqual(await validator.validate(`${SOURCE}---\n${kustomization('podinfo')}`, new Map()), []);
    const found = await validator.validate(`${SOURCE}---\n${kustomization('other')}`, new Map());
    assert.deepEqual(
      found.map((d) => d.code),
      ['FLUX005'],
    );
  });

  test('a HelmRelease whose OCIRepository does not select the chart layer with operation copy gets an information (helm-controller takes an unpacked chart too)', async () => {
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n`;
    assert.deepEqual(
      (await validator.validate(`${SOURCE}---\n${release}`, new Map())).map((d) => [d.code, d.severity]),
      [['FLUX006', 'info']],
    );
    const selecting = SOURCE.replace(
      '  ref:',
      '  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n  ref:',
    );
    assert.deepEqual(await validator.validate(`${selecting}---\n${release}`, new Map()), []);
    assert.deepEqual(validateYaml(release, indexSources([selecting])), []);
  });

  test('quick fixes add a missing required field, indented like its siblings, and the result passes', async () => {
    const apply = (text: string, fix: NonNullable<Awaited<ReturnType<GitOpsValidator['validate']>>[number]['fix']>) =>
      fix.edits.reduceRight((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    repoURL: oci://ghcr.io/org/web\n    targetRevision: 1.0.0\n    path: .\n';
    let text = app;
    for (let round = 0; round < 3; round++) {
      const fix = (await validator.validate(text)).find((d) => d.fix)?.fix;
      if (!fix) break;
      text = apply(text, fix);
    }
    assert.deepEqual(await validator.validate(text), [], text);
    assert.match(
      text,
      /\n {2}destination:\n {4}server: https:\/\/kubernetes\.default\.svc\n {4}namespace: web\n {2}project: default\n|\n {2}project: default\n {2}destination:\n/,
    );
    const source = SOURCE.replace('  interval: 5m\n', '');
    const fixed = apply(source, (await validator.validate(source)).find((d) => d.code === 'OCI005')!.fix!);
    assert.deepEqual(await validator.validate(fixed), []);
  });

  test('re-validating after an edit gives what a fresh validator gives', async () => {
    const docs = Array.from({ length: 30 }, (_, i) => SOURCE.replace('name: podinfo', `name: podinfo-${i}`));
    const text = docs.join('---\n');
    await validator.validate(text);
    const edited = text.replace('name: podinfo-17\n', 'name: podinfo-17\n  labels: 3\n');
    assert.deepEqual(await validator.validate(edited), await new GitOpsValidator().validate(edited));
    assert.equal((await validator.validate(edited)).length, 1);
  });

  test('two validators in one process each validate their own text (the language service caches parses process-wide)', async () => {
    const first = new GitOpsValidator();
    const second = new GitOpsValidator();
    await first.validate(SOURCE);
    const misspelt = SOURCE.replace('  interval: 5m\n', '  intervall: 5m\n');
    assert.deepEqual((await second.validate(misspelt)).map((d) => d.code).sort(), ['OCI005', 'SCHEMA']);
  });

  test('completion offers the fields of the kind under the cursor, and hover explains a field', async () => {
    const text = `${CONFIGMAP}---\n${SOURCE}  `;
    const list = await completeAt(validator.schemas, text, text.length);
    const labels = list!.items.map((i) => i.label);
    for (const field of ['layerSelector', 'verify', 'provider', 'timeout'])
      assert.ok(labels.includes(field), `${field} in ${labels.join(', ')}`);
    assert.equal(await completeAt(validator.schemas, CONFIGMAP, CONFIGMAP.indexOf('intervall')), undefined, 'no answer for other kinds');
    const hover = await hoverAt(validator.schemas, text, text.indexOf('interval: 5m') + 2);
    assert.ok(hover, 'hover on interval');
    const value = JSON.stringify(hover.contents);
    assert.ok(value.length > 20, value);
    assert.equal(hover.range!.start.line, text.slice(0, text.indexOf('interval: 5m')).split('\n').length - 1);
  });

  test('go-to-definition finds the OCIRepository a sourceRef names', () => {
    const text = `${SOURCE}---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: OCIRepository\n    name: podinfo\n`;
    const reference = sourceReferenceAt(text, text.lastIndexOf('podinfo') + 2)!;
    assert.equal(reference.key, 'flux-system/podinfo');
    const declared = sourceDeclarations(text).get(reference.key)!;
    assert.equal(text.slice(declared[0], declared[1]), 'podinfo');
    assert.equal(declared[0], text.indexOf('podinfo'));
  });

  test('bad input never throws or hangs the schema pass, completion or hover: junk, tabs, anchors and aliases, huge scalars, 10,000 documents, binary', async () => {
    const inputs = [
      '{{{{ ::: ]]]',
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n\tproject: x\n',
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec: &s\n  url: *s\n  a: &a [*a, *a]\n  b: &b [*a, *a, *a]\n',
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec:\n  url: oci://r/${'x'.repeat(2_000_000)}\n`,
      Array.from(
        { length: 10_000 },
        (_, i) =>
          `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a${i}\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n  ref:\n    tag: v1\n`,
      ).join('---\n'),
      Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      '---\n---\n...\n%YAML 1.2\n---\n',
    ];
    for (const input of inputs) {
      const started = Date.now();
      await validator.validate(input);
      await completeAt(validator.schemas, input, Math.floor(input.length / 2));
      await hoverAt(validator.schemas, input, Math.floor(input.length / 2));
      // A hang detector, not a timing: speed is measured by `npm run bench`.
      assert.ok(Date.now() - started < 60_000, `bounded time (${Date.now() - started} ms for input of ${input.length} characters)`);
    }
  });
});
