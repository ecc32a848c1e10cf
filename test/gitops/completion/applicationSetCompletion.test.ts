import { parseReference } from '../../../src/oci';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { completeAt, hoverAt } from '../../../src/gitops/authoring';
import { RegistryFacts } from '../../../src/gitops/completion/registryFacts';
import { completeValuesKeys, completionSiteAt } from '../../../src/gitops/kindQueries';
import { SchemaService } from '../../../src/gitops/schemaService';
import type { OciClient } from '../../../src/oci';
import { pushHelmChart } from '../../support/helmChart';
import { useRegistry } from '../../support/useRegistry';

/** The text with `|` removed, and the offset where it stood. */
function at(textWithCursor: string): [string, number] {
  const offset = textWithCursor.indexOf('|');
  return [textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset];
}

// An ApplicationSet whose list generator may override the template, as Argo CD's docs write one
// (docs/operator-manual/applicationset/Template.md, "Generator templates").
const appSet = (source: string, override = '') => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - cluster: dev
${override}
  template:
    metadata:
      name: '{{.cluster}}-guestbook'
    spec:
      project: default
${source}
      destination:
        server: https://kubernetes.default.svc
        namespace: guestbook
`;

describe('registry completion in an ApplicationSet template, as in an Application', () => {
  test('targetRevision of an oci:// source in spec.template asks for the tags of its repoURL', () => {
    const site = completionSiteAt(
      ...at(appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        path: .\n        targetRevision: v|')),
    );
    assert.equal(site?.kind, 'tag');
    assert.deepEqual(site.kind === 'tag' && site.repo, { host: 'registry.example', repository: 'fleet/app' });
    assert.equal(site.typed, 'v');
    assert.equal(site.field, 'spec.template.spec.source.targetRevision');
  });

  test('repoURL in spec.template.spec.sources[] asks for registries, with oci:// unless a chart is named', () => {
    const site = completionSiteAt(...at(appSet('      sources:\n        - repoURL: oci://reg|\n          path: .')));
    assert.equal(site?.kind, 'registry-or-repository');
    assert.equal(site.kind === 'registry-or-repository' && site.ociScheme, true);
  });

  test("targetRevision in a generator's template override asks for the versions of its Helm-OCI chart", () => {
    const override = `        template:
          metadata: {}
          spec:
            project: default
            source:
              repoURL: registry.example/charts
              chart: podinfo
              targetRevision: |
            destination: {}`;
    const site = completionSiteAt(
      ...at(appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        path: .', override)),
    );
    assert.equal(site?.kind, 'version');
    assert.deepEqual(site.kind === 'version' && [site.repo, site.controller, site.helm], [
      { host: 'registry.example', repository: 'charts/podinfo' },
      'argo',
      true,
    ]);
    assert.equal(site.field, 'spec.generators.0.list.template.spec.source.targetRevision');
  });

  test("a generator's own fields are not a template: the git generator's revision asks the registry nothing", () => {
    const text = appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        path: .').replace(
      '    - list:\n        elements:\n          - cluster: dev\n',
      '    - git:\n        repoURL: https://github.com/org/repo.git\n        revision: |\n        directories:\n          - path: apps/*\n',
    );
    assert.equal(completionSiteAt(...at(text)), undefined);
  });
});

describe('schema completion and hover in an ApplicationSet', () => {
  const schemas = new SchemaService();

  test("a key typed in the template's source offers the Application's source fields", async () => {
    const [text, offset] = at(appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        |'));
    const labels = (await completeAt(schemas, text, offset))?.items.map((i) => i.label) ?? [];
    for (const field of ['targetRevision', 'path', 'chart', 'helm']) assert.ok(labels.includes(field), `${field} in ${labels.join(', ')}`);
  });

  test("a key typed in a generator offers that generator's fields", async () => {
    const [text, offset] = at(
      appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        path: .').replace(
        '          - cluster: dev\n',
        '          - cluster: dev\n        |\n',
      ),
    );
    const labels = (await completeAt(schemas, text, offset))?.items.map((i) => i.label) ?? [];
    for (const field of ['elementsYaml', 'template']) assert.ok(labels.includes(field), `${field} in ${labels.join(', ')}`);
  });

  test("hover on a template's targetRevision explains it as for an Application", async () => {
    const text = appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        targetRevision: 1.0.0\n        path: .');
    const hover = await hoverAt(schemas, text, text.indexOf('targetRevision') + 2);
    assert.match(JSON.stringify(hover?.contents), /For oci:\/\/: a tag, a digest/);
  });
});

describe('Helm values keys in an ApplicationSet template against CNCF Distribution', () => {
  const ctx = useRegistry({ auth: 'none' });
  let facts: RegistryFacts;
  let access: { repository(ref: Parameters<OciClient['repository']>[0]): ReturnType<OciClient['repository']> };

  before(async () => {
    const repo = ctx.client.repository(parseReference(`${ctx.registry.host}/charts/podinfo`));
    await pushHelmChart(repo, {
      name: 'podinfo',
      version: '6.5.0',
      values: 'replicaCount: 1\nimage:\n  repository: ghcr.io/stefanprodan/podinfo\n  tag: 6.5.0\n',
    });
    access = { repository: (ref) => ctx.client.repository(ref) };
    facts = new RegistryFacts({ ...access, catalog: async () => [] });
  });

  test("helm.valuesObject of the template's Helm-OCI source offers the chart's keys", async () => {
    const source = `      source:
        repoURL: ${ctx.registry.host}/charts
        chart: podinfo
        targetRevision: 6.5.0
        helm:
          valuesObject:
            image:
              |`;
    const answer = await completeValuesKeys(...at(appSet(source)), facts, access);
    assert.equal(answer?.chart, `${ctx.registry.host}/charts/podinfo:6.5.0`);
    assert.deepEqual(
      answer.keys.map((k) => k.key),
      ['repository', 'tag'],
    );
  });

  test("helm.valuesObject in a generator's template override offers its chart's keys", async () => {
    const override = `        template:
          metadata: {}
          spec:
            project: default
            source:
              repoURL: ${ctx.registry.host}/charts
              chart: podinfo
              targetRevision: 6.5.0
              helm:
                valuesObject:
                  |
            destination: {}`;
    const answer = await completeValuesKeys(
      ...at(appSet('      source:\n        repoURL: oci://registry.example/fleet/app\n        path: .', override)),
      facts,
      access,
    );
    assert.equal(answer?.chart, `${ctx.registry.host}/charts/podinfo:6.5.0`);
    assert.deepEqual(
      answer.keys.map((k) => k.key),
      ['replicaCount', 'image'],
    );
  });
});
