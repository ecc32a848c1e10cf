import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../src/gitops/diagnostic';
import { validateYaml } from '../support/validateYaml';
import { liveTargetsOf } from '../../src/gitops/kindQueries';
import { skipReason } from '../../src/gitops/scope';
import { GitOpsValidator } from '../../src/gitops/validator';

// Kubernetes image volumes (src/gitops/kinds/imageVolume.ts). What the rules stand on:
// - kubernetes/website content/en/docs/concepts/storage/volumes.md ("image" section) and
//   content/en/docs/tasks/configure-pod-container/image-volumes.md: `volumes[].image` with
//   `reference` and `pullPolicy` (Always, Never, IfNotPresent) mounts an OCI image or artifact;
//   the feature-gate page (content/en/docs/reference/command-line-tools-reference/feature-gates/
//   ImageVolume.md) has it alpha in 1.31-1.32 and beta from 1.33 (KEP-4639).
// - kubernetes/kubernetes staging/src/k8s.io/api/core/v1/types.go, ImageVolumeSource: reference
//   "behaves in the same way as pod.spec.containers[*].image" and is optional in templates "to
//   allow higher level config management to default or override" it.
// - kubernetes/kubernetes pkg/apis/core/v1/defaults.go, SetDefaults_Volume: an empty pullPolicy
//   becomes Always when parsers.ParseImageName gives the tag "latest" (pkg/util/parsers: also when
//   there is neither tag nor digest), else IfNotPresent, the rule SetDefaults_Container applies to
//   imagePullPolicy.
// A reference has no oci:// scheme and, like a container image, means Docker Hub when its first
// part is not a host (src/oci/reference/reference.ts applies the same rule).

const codes = (found: Diagnostic[]) => found.map((d) => d.code).sort();
const at = (text: string, d: Diagnostic) => text.slice(d.start, d.end);
const applyFix = (text: string, d: Diagnostic) =>
  [...d.fix!.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

/** A Pod in the shape of the Kubernetes task page's example, with the image source's lines given (six-space indented). */
const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: image-volume
spec:
  containers:
    - name: shell
      command: ["sleep", "infinity"]
      image: debian
      volumeMounts:
        - name: volume
          mountPath: /volume
  volumes:
    - name: volume
      image:
${image}`;

/** The Pod template of a workload, at `indent`, with one image volume. */
const template = (indent: string, reference: string) =>
  `${indent}template:
${indent}  spec:
${indent}    containers:
${indent}      - name: app
${indent}        image: nginx:1.27
${indent}    volumes:
${indent}      - name: config
${indent}        emptyDir: {}
${indent}      - name: artifact
${indent}        image:
${indent}          reference: ${reference}
`;

const workload = (apiVersion: string, kind: string, spec: string) => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: app
  namespace: apps
spec:
${spec}`;

const deploymentWithout = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/org/web:1.0.0
          imagePullPolicy: IfNotPresent
      volumes:
        - name: cache
          emptyDir: {}
`;

const OCI_REPOSITORY = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
  namespace: flux-system
spec:
  interval: 5m
  url: oci://ghcr.io/org/app
  ref:
    digest: sha256:${'a'.repeat(64)}
`;

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('Kubernetes image volumes', () => {
  const validator = new GitOpsValidator();

  test('the task page example, a tag with pullPolicy IfNotPresent, is warned that nodes keep their copy of the tag', async () => {
    const text = pod('        reference: quay.io/crio/artifact:v1\n        pullPolicy: IfNotPresent\n');
    const found = await validator.validate(text);
    assert.deepEqual(codes(found), ['IMGVOL004']);
    assert.equal(found[0].severity, 'warning');
    assert.equal(at(text, found[0]), 'IfNotPresent');
    assert.match(found[0].message, /tag "v1" can be moved/);
    assert.match(found[0].message, /Pin the reference to a digest .* or set pullPolicy: Always/);
    assert.deepEqual(await validator.validate(applyFix(text, found[0])), []);
  });

  test('a tag other than latest without pullPolicy defaults to IfNotPresent, and the fix adds pullPolicy: Always', async () => {
    const text = pod('        reference: quay.io/crio/artifact:v1\n');
    const [finding, ...rest] = validateYaml(text);
    assert.deepEqual(rest, []);
    assert.equal(finding.code, 'IMGVOL004');
    assert.equal(at(text, finding), 'quay.io/crio/artifact:v1');
    assert.match(finding.message, /the default for a tag other than latest/);
    const fixed = applyFix(text, finding);
    assert.match(fixed, /\n {8}reference: quay\.io\/crio\/artifact:v1\n {8}pullPolicy: Always\n/);
    assert.deepEqual(validateYaml(fixed), []);
  });

  test('pullPolicy Never on a tag is warned too: the node never pulls it', () => {
    const text = pod('        reference: quay.io/crio/artifact:v1\n        pullPolicy: Never\n');
    const found = validateYaml(text);
    assert.deepEqual(codes(found), ['IMGVOL004']);
    assert.match(found[0].message, /never pulls it/);
  });

  test('latest, no tag (which defaults to Always), Always and a digest all refresh or never move: no finding', () => {
    for (const image of [
      '        reference: quay.io/crio/artifact:latest\n',
      '        reference: quay.io/crio/artifact\n',
      '        reference: quay.io/crio/artifact:v1\n        pullPolicy: Always\n',
      `        reference: quay.io/crio/artifact@${DIGEST}\n        pullPolicy: IfNotPresent\n`,
      `        reference: quay.io/crio/artifact:v1@${DIGEST}\n        pullPolicy: Never\n`,
    ])
      assert.deepEqual(validateYaml(pod(image)), [], image);
  });

  test('an explicit IfNotPresent on latest is still a moving tag that is not refreshed', () => {
    assert.deepEqual(codes(validateYaml(pod('        reference: quay.io/crio/artifact:latest\n        pullPolicy: IfNotPresent\n'))), [
      'IMGVOL004',
    ]);
  });

  test('every workload kind that templates a Pod is read, at the path its template is at', () => {
    const inTemplate = template('  ', 'ghcr.io/org/config:1.0.0');
    const cases = [
      // A PodTemplate's template is at the top level.
      `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: app\n${template('', 'ghcr.io/org/config:1.0.0')}`,
      workload('v1', 'ReplicationController', inTemplate),
      workload('apps/v1', 'Deployment', inTemplate),
      workload('apps/v1', 'StatefulSet', `  serviceName: app\n${inTemplate}`),
      workload('apps/v1', 'DaemonSet', inTemplate),
      workload('apps/v1', 'ReplicaSet', inTemplate),
      workload('batch/v1', 'Job', inTemplate),
      workload(
        'batch/v1',
        'CronJob',
        `  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n${template('      ', 'ghcr.io/org/config:1.0.0')}`,
      ),
    ];
    for (const text of cases) {
      const found = validateYaml(text);
      assert.deepEqual(codes(found), ['IMGVOL004'], text);
      assert.equal(at(text, found[0]), 'ghcr.io/org/config:1.0.0');
      assert.match(found[0].message, /^Volume "artifact": /);
    }
  });

  test('a Deployment without an image volume gets nothing from us, not even in a file with our kinds or with a syntax error', async () => {
    assert.equal(skipReason(deploymentWithout), 'not-ours');
    assert.deepEqual(await validator.validate(deploymentWithout), []);
    const mixed = `${OCI_REPOSITORY}---\n${deploymentWithout}`;
    assert.deepEqual(await validator.validate(mixed), []);
    const broken = `${OCI_REPOSITORY}---\n${deploymentWithout.replace('emptyDir: {}', 'emptyDir: {')}`;
    assert.deepEqual(validateYaml(broken), []);
    assert.deepEqual(await validator.validate(broken), []);
  });

  test('the image volume of a Deployment is checked whatever else the file holds, and nothing else of the Deployment is', async () => {
    const text = `${OCI_REPOSITORY}---\n${workload('apps/v1', 'Deployment', `  replicas: "three"\n  unknownField: 1\n${template('  ', `ghcr.io/org/config@${DIGEST}`)}`)}---\n${deploymentWithout}`;
    assert.deepEqual(await validator.validate(text), []);
  });

  test('a Pod needs a reference; a template may leave it to a tool, with a warning that Pods made from it are rejected', () => {
    const missing = validateYaml(pod('        pullPolicy: Always\n'));
    assert.deepEqual(codes(missing), ['IMGVOL001']);
    assert.equal(missing[0].severity, 'error');
    assert.match(missing[0].message, /image\.reference is required/);
    const text = workload('apps/v1', 'Deployment', template('  ', '""'));
    const empty = validateYaml(text);
    assert.deepEqual(codes(empty), ['IMGVOL001']);
    assert.equal(empty[0].severity, 'warning');
    assert.match(empty[0].message, /rejects every Pod made from it unless a tool or admission webhook fills it in/);
  });

  test('an oci:// reference is an error whose fix removes the scheme', () => {
    const text = pod('        reference: oci://ghcr.io/org/config@' + DIGEST + '\n');
    const found = validateYaml(text);
    assert.deepEqual(codes(found), ['IMGVOL002']);
    assert.match(found[0].message, /has no scheme \(oci:\/\/\)/);
    assert.equal(found[0].fix!.title, 'Remove oci://');
    assert.deepEqual(validateYaml(applyFix(text, found[0])), []);
  });

  test('a reference the parser refuses says which part is wrong', () => {
    const found = validateYaml(pod('        reference: ghcr.io/Org/Config:1.0.0\n'));
    assert.deepEqual(codes(found), ['IMGVOL002']);
    assert.match(found[0].message, /"Org" is not valid \(it must be lowercase\)/);
    assert.match(validateYaml(pod('        reference: ghcr.io/org/config:-bad\n'))[0].message, /tag "-bad" is not valid/);
  });

  test('a reference with a Flux postBuild variable is left alone: what the kubelet gets is not written in the file', () => {
    const text = pod('        reference: ghcr.io/org/config:${CONFIG_VERSION}\n        pullPolicy: IfNotPresent\n');
    assert.deepEqual(validateYaml(text), []);
    assert.deepEqual(liveTargetsOf(parseAllDocuments(text)[0] as never), []);
  });

  test('a pullPolicy outside the enum is an error, with a fix when only its case is wrong', () => {
    const text = pod(`        reference: ghcr.io/org/config@${DIGEST}\n        pullPolicy: ifnotpresent\n`);
    const found = validateYaml(text);
    assert.deepEqual(codes(found), ['IMGVOL003']);
    assert.equal(found[0].fix!.title, 'Change to IfNotPresent');
    assert.deepEqual(validateYaml(applyFix(text, found[0])), []);
    assert.equal(validateYaml(pod(`        reference: ghcr.io/org/config@${DIGEST}\n        pullPolicy: Sometimes\n`))[0].fix, undefined);
  });

  test('a reference without a registry host is Docker Hub, said as an information, and asked of Docker Hub', () => {
    const text = pod('        reference: busybox\n');
    const found = validateYaml(text);
    assert.deepEqual(codes(found), ['IMGVOL005']);
    assert.equal(found[0].severity, 'info');
    assert.match(found[0].message, /pulled from Docker Hub \(docker\.io\/library\/busybox\)/);
    const [target] = liveTargetsOf(parseAllDocuments(text)[0] as never);
    assert.equal(target.host, 'registry-1.docker.io');
    assert.equal(target.repository, 'library/busybox');
    assert.deepEqual(target.selector, { type: 'tag', value: 'latest' });
    assert.equal(target.pin?.digestPrefix, 'busybox@', 'the short name stays short once pinned');
    assert.deepEqual(validateYaml(pod('        reference: localhost:5000/config\n')), [], 'localhost:5000 is a host');
  });

  test('the live target of a CronJob image volume is its reference: a digest wins over a tag, and a flow map is not pinned', () => {
    const cron = (reference: string) =>
      workload('batch/v1', 'CronJob', `  schedule: "@daily"\n  jobTemplate:\n    spec:\n${template('      ', reference)}`);
    const text = cron('ghcr.io/org/config:1.0.0');
    const [target] = liveTargetsOf(parseAllDocuments(text)[0] as never);
    assert.deepEqual(
      { kind: target.kind, object: target.object, controller: target.controller, host: target.host, repository: target.repository },
      { kind: 'CronJob', object: 'apps/app', controller: 'kubelet', host: 'ghcr.io', repository: 'org/config' },
    );
    assert.deepEqual(target.selector, { type: 'tag', value: '1.0.0' });
    assert.equal(text.slice(target.pin!.start, target.pin!.end), 'reference: ghcr.io/org/config:1.0.0');
    assert.equal(target.pin!.digestPrefix, 'ghcr.io/org/config@');
    const [both] = liveTargetsOf(parseAllDocuments(cron(`ghcr.io/org/config:1.0.0@${DIGEST}`))[0] as never);
    assert.deepEqual(both.selector, { type: 'digest', value: DIGEST });
    assert.equal(both.pin, undefined);
    const flow = pod('        {reference: "ghcr.io/org/config:1.0.0", pullPolicy: Always}\n').replace('image:\n        {', 'image: {');
    const [flowTarget] = liveTargetsOf(parseAllDocuments(flow)[0] as never);
    assert.equal(flowTarget.pin, undefined);
    assert.deepEqual(liveTargetsOf(parseAllDocuments(deploymentWithout)[0] as never), []);
  });
});
