import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import type { Diagnostic } from '../../src/gitops/diagnostic';
import { indexSources } from '../../src/gitops/engine';
import { validateYaml } from '../support/validateYaml';
import { liveTargetsOf } from '../../src/gitops/kindQueries';
import { sourceDeclarations, sourceReferenceAt } from '../../src/gitops/sourceReferences';
import { GitOpsValidator } from '../../src/gitops/validator';

const codes = (found: Diagnostic[]) => found.map((d) => d.code).sort();
const applyFix = (text: string, d: Diagnostic) =>
  [...d.fix!.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

// The OCI sync of the Flux Operator's instance guide (docs/guides/instance/instance-sync.md).
const INSTANCE = `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: "ghcr.io/fluxcd"
  sync:
    kind: OCIRepository
    url: "oci://ghcr.io/my-org/my-fleet-manifests"
    ref: "v1.2.0"
    path: "clusters/my-cluster"
    pullSecret: "flux-system"
`;

const kustomization = (sourceKind: string, name: string, namespace = 'flux-system') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: ${namespace}
spec:
  interval: 12h
  path: ./tenants
  prune: true
  sourceRef:
    kind: ${sourceKind}
    name: ${name}
`;

// The source composition example of the ArtifactGenerator documentation.
const GENERATOR = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: my-app
  namespace: apps
spec:
  sources:
    - alias: backend
      kind: GitRepository
      name: my-backend
    - alias: frontend
      kind: OCIRepository
      name: my-frontend
  artifacts:
    - name: my-app-composite
      originRevision: "@backend"
      copy:
        - from: "@backend/deploy/**"
          to: "@artifact/my-app/backend/"
        - from: "@frontend/deploy/*.yaml"
          to: "@artifact/my-app/frontend/"
`;

describe('FluxInstance', () => {
  const validator = new GitOpsValidator();

  test('the documented OCI sync passes the schema and the rules; following "latest" is an information, as for an OCIRepository', async () => {
    assert.deepEqual(await validator.validate(INSTANCE), []);
    const latest = await validator.validate(INSTANCE.replace('"v1.2.0"', '"latest"'));
    assert.deepEqual(
      latest.map((d) => [d.code, d.severity]),
      [['OCI012', 'info']],
    );
  });

  test('its sync url gets the OCIRepository url checks: oci://, a repository, no tag (the fix moves it to ref)', async () => {
    const noScheme = INSTANCE.replace('"oci://ghcr.io/my-org/my-fleet-manifests"', 'ghcr.io/my-org/fleet');
    const [missing] = await validator.validate(noScheme);
    assert.equal(missing.code, 'OCI002');
    assert.match(applyFix(noScheme, missing), /url: oci:\/\/ghcr\.io\/my-org\/fleet\n/);
    const tagged = INSTANCE.replace('    ref: "v1.2.0"\n', '').replace('my-fleet-manifests"', 'my-fleet-manifests:1.2.3"');
    const found = await validator.validate(tagged);
    const move = found.find((d) => d.code === 'OCI004')!;
    assert.match(move.message, /spec\.sync\.ref/);
    const fixed = applyFix(tagged, move);
    assert.match(fixed, /url: oci:\/\/ghcr\.io\/my-org\/my-fleet-manifests\n {4}ref: "1\.2\.3"\n/);
    assert.deepEqual(await validator.validate(fixed), []);
    const digest = await validator.validate(INSTANCE.replace('my-fleet-manifests"', `my-fleet-manifests@sha256:${'a'.repeat(64)}"`));
    assert.match(digest.find((d) => d.code === 'OCI004')!.message, /cannot pin a digest/);
    assert.deepEqual(
      codes(await validator.validate(INSTANCE.replace('"v1.2.0"', '"refs/heads/main"'))),
      ['OCI010'],
      'a Git ref is not a tag',
    );
  });

  test("the CRD's CEL rules: the name is flux, the provider fits the sync kind, persistent shards need storage, multitenant workload identity needs object-level identity", async () => {
    const renamed = await validator.validate(INSTANCE.replace('name: flux\n', 'name: flux-system\n'));
    assert.deepEqual(codes(renamed), ['FLUX013']);
    assert.deepEqual(codes(await validator.validate(INSTANCE.replace('    pullSecret', '    provider: github\n    pullSecret'))), [
      'FLUX014',
    ]);
    assert.deepEqual(codes(await validator.validate(`${INSTANCE}  sharding:\n    shards: [a]\n    storage: persistent\n`)), ['FLUX009']);
    assert.deepEqual(codes(await validator.validate(`${INSTANCE}  cluster:\n    multitenantWorkloadIdentity: true\n`)), ['FLUX010']);
    assert.deepEqual(
      codes(
        await validator.validate(
          INSTANCE.replace('    path: "clusters/my-cluster"\n', '').replace('  sync:', '  sync:\n    intervall: 1m'),
        ),
      ),
      ['SCHEMA', 'SCHEMA'],
    );
  });

  test('its sync source counts as the OCIRepository flux-system in its namespace: a Kustomization naming it resolves, in the same file or another', async () => {
    assert.deepEqual(await validator.validate(kustomization('OCIRepository', 'flux-system'), indexSources([INSTANCE])), []);
    assert.deepEqual(await validator.validate(`${INSTANCE}---\n${kustomization('OCIRepository', 'flux-system')}`, new Map()), []);
    const named = INSTANCE.replace('    kind: OCIRepository\n', '    kind: OCIRepository\n    name: fleet\n');
    assert.deepEqual(await validator.validate(kustomization('OCIRepository', 'fleet'), indexSources([named])), []);
    const other = await validator.validate(kustomization('OCIRepository', 'fleet', 'apps'), indexSources([named]));
    assert.deepEqual(
      other.map((d) => [d.code, d.severity]),
      [['FLUX005', 'warning']],
      'a different namespace is a different object',
    );
    assert.deepEqual(
      liveTargetsOf(parseDocument(INSTANCE) as never).map(
        (t) => `${t.kind} ${t.host}/${t.repository} ${t.selector.type}=${t.selector.value} pin=${t.pin !== undefined}`,
      ),
      ['FluxInstance ghcr.io/my-org/my-fleet-manifests tag=v1.2.0 pin=false'],
    );
  });

  test('go-to-definition jumps from a sourceRef to the FluxInstance that syncs it', () => {
    const text = `${INSTANCE}---\n${kustomization('OCIRepository', 'flux-system')}`;
    const reference = sourceReferenceAt(text, text.lastIndexOf('flux-system') + 2)!;
    assert.equal(reference.key, 'flux-system/flux-system');
    const declared = sourceDeclarations(text).get(reference.key)!;
    assert.equal(text.slice(declared[0], declared[1]), 'sync');
  });

  test('a cluster bootstrapped outside the workspace: the flux-system source not found is an information, another name a warning', async () => {
    const found = await validator.validate(kustomization('OCIRepository', 'flux-system'), new Map());
    assert.deepEqual(
      found.map((d) => [d.code, d.severity]),
      [['FLUX005', 'info']],
    );
    assert.match(found[0].message, /bootstrap/);
    assert.deepEqual(
      (await validator.validate(kustomization('OCIRepository', 'flux-sytem'), new Map())).map((d) => [d.code, d.severity]),
      [['FLUX005', 'warning']],
    );
    assert.deepEqual(
      await validator.validate(kustomization('GitRepository', 'flux-system'), new Map()),
      [],
      'Git sources are not ours to resolve',
    );
  });
});

describe('ArtifactGenerator and ExternalArtifact', () => {
  const validator = new GitOpsValidator();

  test('the documented generator passes, and a Kustomization or HelmRelease may take its ExternalArtifact as source', async () => {
    assert.deepEqual(await validator.validate(GENERATOR), []);
    assert.deepEqual(
      await validator.validate(kustomization('ExternalArtifact', 'my-app-composite', 'apps'), indexSources([GENERATOR])),
      [],
    );
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  interval: 10m\n  chartRef:\n    kind: ExternalArtifact\n    name: my-app-composite\n';
    assert.deepEqual(await validator.validate(release, indexSources([GENERATOR])), []);
  });

  test('an ExternalArtifact no generator makes is an information (other controllers make them too); pathPattern names match by pattern', async () => {
    const found = await validator.validate(kustomization('ExternalArtifact', 'other', 'apps'), indexSources([GENERATOR]));
    assert.deepEqual(
      found.map((d) => [d.code, d.severity]),
      [['FLUX005', 'info']],
    );
    const perApp = GENERATOR.replace('    - name: my-app-composite', '    - name: "{app}-manifests"').replace(
      '  artifacts:',
      '  pathPattern: "@backend/apps/{app}"\n  artifacts:',
    );
    assert.deepEqual(await validator.validate(perApp), []);
    assert.deepEqual(await validator.validate(kustomization('ExternalArtifact', 'web-manifests', 'apps'), indexSources([perApp])), []);
    const declared =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: ExternalArtifact\nmetadata:\n  name: made-elsewhere\n  namespace: apps\nspec:\n  sourceRef:\n    kind: Terraform\n    name: infra\n';
    assert.deepEqual(await validator.validate(kustomization('ExternalArtifact', 'made-elsewhere', 'apps'), indexSources([declared])), []);
  });

  test("every @alias must be one of the generator's sources, and aliases are unique", async () => {
    const unknown = GENERATOR.replace('from: "@frontend/deploy/*.yaml"', 'from: "@fronted/deploy/*.yaml"');
    const [finding] = await validator.validate(unknown);
    assert.equal(finding.code, 'FLUX011');
    assert.equal(unknown.slice(finding.start, finding.end), '"@fronted/deploy/*.yaml"');
    assert.match(finding.message, /@backend, @frontend/);
    assert.deepEqual(codes(validateYaml(GENERATOR.replace('alias: frontend', 'alias: backend'))), ['FLUX011', 'FLUX012']);
    assert.deepEqual(codes(await validator.validate(GENERATOR.replace('kind: GitRepository', 'kind: HelmRepository'))), ['SCHEMA']);
  });
});

describe('ResourceSet', () => {
  const validator = new GitOpsValidator();
  // The shape of controlplaneio-fluxcd/d2-fleet tenants/apps.yaml: inputs, dependsOn and templated resources.
  const RESOURCE_SET = `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: apps
  namespace: flux-system
spec:
  dependsOn:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      name: infra-configs
      namespace: monitoring
      ready: true
  inputs:
    - tenant: "frontend"
      replicas: 2
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: apps
        namespace: << inputs.tenant >>
      spec:
        interval: 5m
        url: "oci://ghcr.io/org/apps/<< inputs.tenant >>"
        ref:
          tag: << inputs.tag >>
`;

  test('its schema takes free-form inputs and templated resources (those are checked once generated, not here)', async () => {
    assert.deepEqual(await validator.validate(RESOURCE_SET), []);
  });

  test('a misspelt field and a wrong enum are schema errors', async () => {
    const text = RESOURCE_SET.replace('  inputs:', '  inputStrategy:\n    name: Combine\n  waitt: true\n  inputs:');
    assert.deepEqual((await validator.validate(text)).map((d) => text.slice(d.start, d.end)).sort(), ['Combine', 'waitt']);
  });
});
