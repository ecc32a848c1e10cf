import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { pushFolder } from '../../src/artifact/push';
import { semverSites } from '../../src/gitops/kindQueries';
import { lineColumn } from '../../src/gitops/engine';
import { LiveCache } from '../../src/gitops/live/liveCache';
import { checkLive, type LiveFindings } from '../../src/gitops/live/liveCheck';
import { GitOpsValidator } from '../../src/gitops/validator';
import { parseReference } from '../../src/oci';
import { makeFolder } from '../support/folders';
import { useRegistry } from '../support/useRegistry';

const GO = '  goTemplate: true\n';

/** The same ApplicationSet written for the plain substitution: {{param}} without the dot, no goTemplate. */
const plain = (text: string) => text.replace(/\{\{\.(\w+)\}\}/g, '{{$1}}').replace(GO, '');

// An ApplicationSet as Argo CD's docs write one (docs/operator-manual/applicationset/Generators-List.md),
// its template taking an OCI artifact as Argo CD 3.1+ reads one (docs/user-guide/oci.md).
const appSet = (generators: string, templateSpec: string, top = GO) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
${top}  generators:
${generators}
  template:
    metadata:
      name: '{{.cluster}}-guestbook'
    spec:
${templateSpec}
`;

const LIST = `    - list:
        elements:
          - cluster: engineering-dev
            url: https://1.2.3.4
          - cluster: engineering-prod
            url: https://2.4.6.8`;

const OCI_SPEC = `      project: default
      source:
        repoURL: oci://ghcr.io/argoproj/guestbook
        targetRevision: 1.0.0
        path: .
      destination:
        server: '{{.url}}'
        namespace: guestbook`;

const validator = new GitOpsValidator();

/** `line code` of every finding, 1-based lines. */
async function findings(text: string): Promise<string[]> {
  return (await validator.validate(text)).map((d) => `${lineColumn(text, d.start).line} ${d.code}`);
}

/** The 1-based line of the first line of `text` that holds `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('ApplicationSet: the template judged as the Application it makes', () => {
  test('an ApplicationSet as the docs write one, with an oci:// source, is clean', async () => {
    assert.deepEqual(await findings(appSet(LIST, OCI_SPEC, '  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n')), []);
  });

  test('a template without project is told on the template spec, once', async () => {
    const text = appSet(LIST, OCI_SPEC.replace('      project: default\n', ''));
    assert.deepEqual(await findings(text), [`${text.split('\n').lastIndexOf('    spec:') + 1} ARGO001`]);
    assert.match((await validator.validate(text))[0].message, /^spec\.template: spec\.project is required/);
  });

  test('an oci:// source with the tag in the URL is told on the URL, with the fix of an Application', async () => {
    const text = appSet(LIST, OCI_SPEC.replace('guestbook\n        targetRevision', 'guestbook:1.0.0\n        targetRevision'));
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => `${lineColumn(text, d.start).line} ${d.code}`),
      [`${lineOf(text, 'repoURL')} ARGO006`],
    );
    assert.equal(found[0].fix?.edits[0].text, 'oci://ghcr.io/argoproj/guestbook');
  });

  test('a boolean given as a string in the template syncPolicy is a schema error on its line', async () => {
    const text = appSet(LIST, `${OCI_SPEC}\n      syncPolicy:\n        automated:\n          prune: "true"`);
    assert.deepEqual(await findings(text), [`${lineOf(text, 'prune:')} SCHEMA`]);
  });

  test('a boolean written as a template action is an error too: the CRD types the template before it is rendered', async () => {
    const text = appSet(LIST, `${OCI_SPEC}\n      syncPolicy:\n        automated:\n          prune: '{{.prune}}'`);
    assert.deepEqual(await findings(text), [`${lineOf(text, 'prune:')} SCHEMA`]);
  });

  test('values holding template actions are unknown, not errors: repoURL, targetRevision, path, chart, project', async () => {
    const spec = `      project: '{{.project}}'
      source:
        repoURL: '{{ .repoURL }}'
        targetRevision: '{{index .metadata.labels "env"}}'
        path: 'apps/{{ .path.basename }}'
      sources:
        - repoURL: oci://ghcr.io/org/{{.cluster}}
          targetRevision: '{{.version}}'
          path: '{{.path}}'
        - repoURL: registry-1.docker.io/bitnamicharts
          chart: '{{.chart}}'
          targetRevision: '{{.chartVersion}}'
      destination:
        name: '{{ .name }}'
        namespace: '{{ .namespace }}'`;
    // Only what is known is told: sources, when set, make source ignored.
    const text = appSet(LIST, spec, '  goTemplate: true\n');
    assert.deepEqual(await findings(text), [`${lineOf(text, '      source:')} ARGO003`]);
  });

  test('a literal value beside templated ones is still judged: an oci:// source with a templated path keeps its revision rules', async () => {
    const text = appSet(
      LIST,
      OCI_SPEC.replace('targetRevision: 1.0.0', 'targetRevision: "not/a revision"').replace('path: .', "path: '{{.cluster}}'"),
    );
    assert.deepEqual(await findings(text), [`${lineOf(text, 'targetRevision')} ARGO008`]);
  });

  test("a generator's template override is judged as a partial Application: what it sets, never what it leaves to the template", async () => {
    const generators = `${LIST}
        template:
          metadata: {}
          spec:
            project: default
            source:
              repoURL: oci://ghcr.io/argoproj/guestbook:2.0.0
              targetRevision: 2.0.0
              path: .
            destination: {}`;
    const text = appSet(generators, OCI_SPEC);
    assert.deepEqual(await findings(text), [`${lineOf(text, 'guestbook:2.0.0')} ARGO006`]);
  });

  test('with a templatePatch, the template may leave out what the patch adds', async () => {
    const patch = `  goTemplate: true\n  templatePatch: |\n    spec:\n      source:\n        repoURL: oci://ghcr.io/org/app\n        targetRevision: '{{.version}}'\n        path: .\n`;
    assert.deepEqual(await findings(appSet(LIST, OCI_SPEC.replace(/ {6}source:\n(.*\n){3}/, ''), patch)), []);
  });
});

describe('ApplicationSet: generators', () => {
  test('an unknown generator is an error on its key', async () => {
    const text = appSet('    - lists:\n        elements: []', OCI_SPEC);
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => `${lineColumn(text, d.start).line} ${d.code}`),
      [`${lineOf(text, 'lists:')} APPSET001`],
    );
    assert.match(found[0].message, /Unknown generator "lists"/);
  });

  test('an unknown generator inside a nested matrix, where the CRD checks nothing, is still an error on its key', async () => {
    const generators = `    - matrix:
        generators:
          - git:
              repoURL: https://github.com/argoproj/argo-cd.git
              revision: HEAD
              directories:
                - path: applicationset/examples/matrix/cluster-addons/*
          - matrix:
              generators:
                - clusterz: {}
                - list:
                    elements:
                      - cluster: a`;
    const text = appSet(generators, OCI_SPEC);
    assert.deepEqual(await findings(text), [`${lineOf(text, 'clusterz')} APPSET001`]);
  });

  test('a matrix takes exactly two child generators', async () => {
    const three = `    - matrix:
        generators:
          - clusters: {}
          - list:
              elements: [{cluster: a}]
          - list:
              elements: [{cluster: b}]`;
    const text = appSet(three, OCI_SPEC);
    assert.deepEqual(await findings(text), [
      `${lineOf(text, 'generators:\n          - clusters') || lineOf(text, '        generators:')} APPSET003`,
    ]);
  });

  test('a merge takes two or more child generators and at least one merge key', async () => {
    const one = `    - merge:
        mergeKeys: []
        generators:
          - clusters: {}`;
    const text = appSet(one, OCI_SPEC);
    assert.deepEqual(
      (await findings(text)).sort(),
      [`${lineOf(text, '        generators:')} APPSET004`, `${lineOf(text, 'mergeKeys')} APPSET004`].sort(),
    );
  });

  test('combination generators nest only once: a matrix in a matrix in a matrix is an error', async () => {
    const deep = `    - matrix:
        generators:
          - clusters: {}
          - matrix:
              generators:
                - list:
                    elements: [{a: b}]
                - matrix:
                    generators:
                      - list:
                          elements: [{c: d}]
                      - clusters: {}`;
    const text = appSet(deep, OCI_SPEC);
    assert.deepEqual(await findings(text), [`${lineOf(text, '                - matrix:')} APPSET006`]);
  });

  test('a child of a matrix holds exactly one generator', async () => {
    const two = `    - matrix:
        generators:
          - clusters: {}
            list:
              elements: [{a: b}]
          - list:
              elements: [{c: d}]`;
    const text = appSet(two, OCI_SPEC);
    assert.deepEqual(await findings(text), [`${lineOf(text, '            list:')} APPSET005`]);
  });

  test("a child generator's template is ignored, and told so", async () => {
    const child = `    - matrix:
        generators:
          - clusters:
              template:
                metadata: {}
                spec:
                  project: other
                  destination: {}
          - list:
              elements: [{c: d}]`;
    const text = appSet(child, OCI_SPEC);
    assert.deepEqual(await findings(text), [`${lineOf(text, '              template:')} APPSET007`]);
  });

  test('an entry with no generator makes nothing: a warning at the top, an error inside a matrix', async () => {
    const top = appSet(`${LIST}\n    - selector:\n        matchLabels:\n          env: prod`, OCI_SPEC);
    const found = await validator.validate(top);
    assert.deepEqual(
      found.map((d) => `${lineColumn(top, d.start).line} ${d.severity} ${d.code}`),
      [`${lineOf(top, '- selector:')} warning APPSET002`],
    );
    const child = appSet(
      '    - matrix:\n        generators:\n          - clusters: {}\n          - selector:\n              matchLabels:\n                env: prod',
      OCI_SPEC,
    );
    const inMatrix = await validator.validate(child);
    assert.deepEqual(
      inMatrix.map((d) => `${lineColumn(child, d.start).line} ${d.severity} ${d.code}`),
      [`${lineOf(child, '- selector:')} error APPSET002`],
    );
  });

  test('a git generator needs directories or files; an SCM provider generator one service', async () => {
    const git = appSet('    - git:\n        repoURL: https://github.com/org/repo.git\n        revision: HEAD', OCI_SPEC);
    assert.deepEqual(await findings(git), [`${lineOf(git, '- git:')} APPSET008`]);
    const scm = appSet(
      '    - scmProvider:\n        github:\n          organization: org\n        gitea:\n          owner: org\n          api: https://gitea.example',
      OCI_SPEC,
    );
    assert.deepEqual(await findings(scm), [`${lineOf(scm, 'gitea:')} APPSET009`]);
  });

  test('every generator of the CRD, with a post selector, is accepted as the docs write it', async () => {
    const all = `    - clusters:
        selector:
          matchLabels:
            env: prod
    - git:
        repoURL: https://github.com/argoproj/argo-cd.git
        revision: HEAD
        files:
          - path: applicationset/examples/git-generator-files-discovery/cluster-config/**/config.json
    - scmProvider:
        gitlab:
          group: "8675309"
          includeSubgroups: true
        filters:
          - repositoryMatch: ^myapp
    - pullRequest:
        github:
          owner: myorg
          repo: myrepository
          labels: [preview]
        requeueAfterSeconds: 1800
    - clusterDecisionResource:
        configMapRef: my-configmap
        labelSelector:
          matchLabels:
            duck: spotted
    - plugin:
        configMapRef:
          name: my-plugin
        input:
          parameters:
            key1: value1
    - merge:
        mergeKeys: [server]
        generators:
          - clusters: {}
          - list:
              elements: [{server: https://1.2.3.4}]
      selector:
        matchExpressions:
          - key: server
            operator: In
            values: [https://1.2.3.4]`;
    assert.deepEqual(await findings(appSet(all, OCI_SPEC)), []);
  });
});

describe('ApplicationSet: templating and strategy', () => {
  test('goTemplateOptions: an option Go does not know is an error; options without goTemplate are ignored (warning)', async () => {
    const bad = appSet(LIST, OCI_SPEC, '  goTemplate: true\n  goTemplateOptions: ["missingkeys=error"]\n');
    assert.deepEqual(await findings(bad), [`${lineOf(bad, 'goTemplateOptions')} APPSET010`]);
    const off = plain(appSet(LIST, OCI_SPEC, '  goTemplateOptions: ["missingkey=error"]\n'));
    assert.deepEqual(await findings(off), [`${lineOf(off, 'goTemplateOptions')} APPSET011`]);
  });

  test('the plain substitution of the docs fasttemplate examples is clean too', async () => {
    assert.deepEqual(await findings(plain(appSet(LIST, OCI_SPEC))), []);
  });

  test('Go template actions without goTemplate: true are an error on their value: the plain substitution leaves them as written', async () => {
    const text = appSet(LIST, OCI_SPEC, '');
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => `${lineColumn(text, d.start).line} ${d.code}`),
      [`${lineOf(text, "name: '{{.cluster}}")} APPSET014`, `${lineOf(text, 'server:')} APPSET014`],
    );
    assert.match(found[0].message, /set goTemplate: true or write \{\{cluster\}\}/);
  });

  test('a plain {{param}} with goTemplate: true is an error on its value: Go reads it as a function', async () => {
    const text = plain(appSet(LIST, OCI_SPEC)).replace('spec:\n  generators', `spec:\n${GO}  generators`);
    assert.deepEqual(await findings(text), [`${lineOf(text, "name: '{{cluster}}")} APPSET015`, `${lineOf(text, 'server:')} APPSET015`]);
  });

  test('template text meant for a tool (a chart reading its own {{ .Values }}) is not judged as the ApplicationSet’s', async () => {
    const helm = plain(
      appSet(
        LIST,
        OCI_SPEC.replace(
          '        path: .\n',
          '        path: .\n        helm:\n          values: |\n            host: "{{ .Release.Name }}.example"\n',
        ),
      ),
    );
    assert.deepEqual(await findings(helm), []);
  });

  test('templatePatch needs goTemplate, and cannot set the project', async () => {
    const noGo = plain(appSet(LIST, OCI_SPEC, '  templatePatch: |\n    spec:\n      syncPolicy: {}\n'));
    assert.deepEqual(await findings(noGo), [`${lineOf(noGo, 'templatePatch')} APPSET012`]);
    const project = appSet(LIST, OCI_SPEC, '  goTemplate: true\n  templatePatch: |\n    spec:\n      project: other\n');
    assert.deepEqual(await findings(project), [`${lineOf(project, 'templatePatch')} APPSET013`]);
  });

  test('syncPolicy.applicationsSync takes the four policies of the CRD', async () => {
    const ok = appSet(LIST, OCI_SPEC, GO + '  syncPolicy:\n    applicationsSync: create-only\n    preserveResourcesOnDeletion: true\n');
    assert.deepEqual(await findings(ok), []);
    const bad = appSet(LIST, OCI_SPEC, GO + '  syncPolicy:\n    applicationsSync: create\n');
    assert.deepEqual(await findings(bad), [`${lineOf(bad, 'applicationsSync')} SCHEMA`]);
  });

  test('a strategy type or deletion order Argo CD does not know is a warning: it then acts all at once', async () => {
    const type = appSet(LIST, OCI_SPEC, GO + '  strategy:\n    type: Rolling\n');
    assert.deepEqual(await findings(type), [`${lineOf(type, 'type: Rolling')} APPSET016`]);
    const order = appSet(LIST, OCI_SPEC, GO + '  strategy:\n    deletionOrder: Backwards\n');
    assert.deepEqual(await findings(order), [`${lineOf(order, 'deletionOrder')} APPSET018`]);
  });

  test('a RollingSync strategy needs its steps, and rollingSync needs type RollingSync', async () => {
    const steps =
      '    rollingSync:\n      steps:\n        - matchExpressions:\n            - key: envLabel\n              operator: In\n              values: [env-dev]\n          maxUpdate: 25%\n';
    assert.deepEqual(await findings(appSet(LIST, OCI_SPEC, `${GO}  strategy:\n    type: RollingSync\n${steps}`)), []);
    const noSteps = appSet(LIST, OCI_SPEC, GO + '  strategy:\n    type: RollingSync\n');
    assert.deepEqual(await findings(noSteps), [`${lineOf(noSteps, 'type: RollingSync')} APPSET017`]);
    const noType = appSet(LIST, OCI_SPEC, `${GO}  strategy:\n${steps}`);
    assert.deepEqual(await findings(noType), [`${lineOf(noType, 'rollingSync:')} APPSET017`]);
  });
});

describe('ApplicationSet: live checks of the template literal sources against CNCF Distribution', () => {
  const context = useRegistry({ auth: 'none' });
  let check: (text: string) => Promise<LiveFindings>;
  let digest: string;
  const spec = (repoURL: string, revision: string) =>
    OCI_SPEC.replace('oci://ghcr.io/argoproj/guestbook', repoURL).replace('targetRevision: 1.0.0', `targetRevision: ${revision}`);

  before(async () => {
    const { client, registry } = context;
    const folder = makeFolder({ 'deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' });
    digest = (
      await pushFolder(client, folder, parseReference(`${registry.host}/fleet/guestbook:1.0.0`), {
        source: 'https://example.com/fleet',
        revision: 'main@sha1:1',
      })
    ).digest;
    check = (text) =>
      checkLive(text, {
        repository: (ref) => client.repository(ref),
        cache: new LiveCache(),
      });
  });

  test('a tag that exists gets a lens with its digest, on the template targetRevision', async () => {
    const text = appSet(LIST, spec(`oci://${context.registry.host}/fleet/guestbook`, '1.0.0'));
    const found = await check(text);
    assert.deepEqual(found.diagnostics, []);
    assert.deepEqual(
      found.lenses.map((l) => [l.digest, lineColumn(text, l.start).line]),
      [[digest, lineOf(text, 'targetRevision')]],
    );
  });

  test('a missing tag is an error on the template targetRevision line', async () => {
    const text = appSet(LIST, spec(`oci://${context.registry.host}/fleet/guestbook`, '9.9.9'));
    const found = await check(text);
    assert.deepEqual(
      found.diagnostics.map((d) => `${lineColumn(text, d.start).line} ${d.code}`),
      [`${lineOf(text, 'targetRevision')} LIVE002`],
    );
  });

  test('a source whose repository or revision a generator fills in is not asked about', async () => {
    for (const text of [
      appSet(LIST, spec(`oci://${context.registry.host}/fleet/guestbook`, "'{{.version}}'")),
      appSet(LIST, spec(`oci://${context.registry.host}/fleet/{{.cluster}}`, '9.9.9')),
    ])
      assert.deepEqual(await check(text), { diagnostics: [], lenses: [] });
  });
});

describe('ApplicationSet: the semver preview', () => {
  test('a semver targetRevision in the template is previewed, named by its path', () => {
    const text = appSet(LIST, OCI_SPEC.replace('1.0.0', '">=1.0.0 <2"'));
    assert.deepEqual(
      semverSites(text).map((s) => [s.field, s.constraint, s.repo.repository]),
      [['spec.template.spec.source.targetRevision', '>=1.0.0 <2', 'argoproj/guestbook']],
    );
  });
});
