import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validateYaml } from '../support/validateYaml';
import { chartOfTemplate, holdsTemplateActions } from '../../src/gitops/helmTemplate';
import { skipReason } from '../../src/gitops/scope';
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

// The first lines of argoproj/argocd-example-apps helm-guestbook/templates/deployment.yaml.
const HELM_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "helm-guestbook.fullname" . }}
  labels:
    app: {{ template "helm-guestbook.name" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          resources:
{{ toYaml .Values.resources | indent 12 }}
    {{- with .Values.nodeSelector }}
      nodeSelector:
{{ toYaml . | indent 8 }}
    {{- end }}
`;

describe('only what is ours gets findings', () => {
  const validator = new GitOpsValidator();

  test('a file of other kinds gets nothing, not even for its broken YAML (the YAML extension reports that)', async () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1, 2\n  b: : c\n';
    assert.deepEqual(await validator.validate(broken), []);
    assert.deepEqual(validateYaml(broken), []);
    assert.deepEqual(await validator.validate('key: value\n  bad: indentation\n'), []);
  });

  test("Kubernetes' own image-volume example, a Pod in flow style over many lines, is ours", () => {
    // kubernetes/website content/en/examples/pods/image-volumes.yaml (vendored for the impact tests).
    const pod = readFileSync(
      join(__dirname, '..', '..', '..', 'test', 'fixtures', 'impact', 'policies', 'kubernetes-image-volumes.yaml'),
      'utf8',
    );
    assert.equal(
      skipReason(pod, 'pod.yaml', () => false),
      undefined,
    );
  });

  test('Argo Rollouts and kustomize Kustomizations share API groups with our kinds, but are not ours', async () => {
    const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: x\nspec:\n  strategy: [oops\n';
    const kustomize = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml\n';
    for (const text of [rollout, kustomize]) {
      assert.deepEqual(await validator.validate(text), [], text);
      assert.deepEqual(validateYaml(text), [], text);
    }
  });

  test('in a file with several documents, a broken document of another kind gets nothing and ours are still checked', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n---\n${SOURCE.replace('tag: 6.7.0', 'tag: "bad tag"')}`;
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['OCI010'],
    );
  });

  test('a document of ours that does not parse gets one syntax error, saying our checks resume once it parses', async () => {
    const text = SOURCE.replace('  ref:\n', '  ref:\n   tag: [\n');
    const found = await validator.validate(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['YAML001'],
    );
    assert.match(found[0].message, /resume once it parses/);
    assert.deepEqual(
      validateYaml(text).map((d) => d.code),
      ['YAML001'],
    );
    const typing = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec:\n  url: oci://r/a\n url2: x\n';
    assert.deepEqual(
      (await validator.validate(typing)).map((d) => d.code),
      ['YAML001'],
      'the kind is read from the lines when the parse fails',
    );
  });
});

describe('Helm templates are skipped', () => {
  const validator = new GitOpsValidator();

  test('a chart template gets nothing: 0 findings where there used to be one YAML error per {{ }} line', async () => {
    assert.equal(holdsTemplateActions(HELM_DEPLOYMENT), true);
    assert.deepEqual(await validator.validate(HELM_DEPLOYMENT), []);
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  chart:\n    spec:\n      chart: x\n{{- if .Values.interval }}\n  interval: {{ .Values.interval }}\n{{- end }}\n`;
    assert.equal(skipReason(release), 'template-actions');
    assert.deepEqual(await validator.validate(release), [], 'even when it templates one of our kinds');
  });

  test("a file under a chart's templates/ folder is a template wherever it sits below it, and only when the chart has a Chart.yaml", () => {
    const charts = new Set([join('/repo', 'charts', 'app', 'Chart.yaml')]);
    const exists = (path: string) => charts.has(path);
    assert.equal(chartOfTemplate(join('/repo', 'charts', 'app', 'templates', 'deployment.yaml'), exists), join('/repo', 'charts', 'app'));
    assert.equal(chartOfTemplate(join('/repo', 'charts', 'app', 'templates', 'apps', 'one.yaml'), exists), join('/repo', 'charts', 'app'));
    assert.equal(chartOfTemplate(join('/repo', 'charts', 'app', 'values.yaml'), exists), undefined);
    assert.equal(
      chartOfTemplate(join('/repo', 'kustomize', 'templates', 'app.yaml'), exists),
      undefined,
      'a templates/ folder without a chart is just a folder',
    );
    assert.equal(
      skipReason(SOURCE, join('/repo', 'charts', 'app', 'templates', 'source.yaml'), exists),
      'chart-template',
      "plain YAML in a chart's templates/ is still rendered by Helm",
    );
  });

  test('{{ }} inside YAML strings is data, not a template: a HelmRelease with Prometheus alert texts in its values is still checked', async () => {
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: kube-prometheus-stack
spec:
  chartRef:
    kind: OCIRepository
    name: kube-prometheus-stack
  valuez: {}
  values:
    alertmanager:
      config:
        templates: ["{{ template \\"slack.text\\" . }}"]
    additionalPrometheusRulesMap:
      rules:
        groups:
          - rules:
              - alert: Down
                annotations:
                  summary: Instance {{ $labels.instance }} down
                  quoted: '{{ $value }}'
                  description: |
                    {{ $labels.job }} has been down for 5 minutes.
    # {{ a comment }}
`;
    assert.equal(holdsTemplateActions(release), false);
    const found = await validator.validate(release);
    assert.deepEqual(
      found.map((d) => d.code),
      ['FLUX001', 'SCHEMA'],
      JSON.stringify(found),
    );
    assert.match(found[1].message, /valuez/);
  });
});
