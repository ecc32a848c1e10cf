import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KindSchema } from '../../src/gitops/contract/kindSchema';
import { kindSchemas } from '../../src/gitops/kinds';
import { GitOpsValidator } from '../../src/gitops/validator';

// The upstream CRDs, vendored as test data with their provenance (test/fixtures/crds/PROVENANCE.md).
const CRDS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'crds');

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  type?: string;
  $ref?: string;
};

function crdVersion(file: string, version: string): Schema {
  const path = join(CRDS, file);
  assert.ok(existsSync(path), `${path} is missing: the schema test compares against the upstream CRDs vendored in test/fixtures/crds`);
  const crd = parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition');
  const served = crd.spec.versions.find((v: { name: string }) => v.name === version);
  assert.ok(served, `${file} has no version ${version}`);
  return served.schema.openAPIV3Schema as Schema;
}

/** Every difference between the CRD's spec and ours, as `path: what`. */
function differences(crd: Schema, ours: KindSchema): string[] {
  const definitions = (ours.schema.definitions ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? definitions[s.$ref.replace('#/definitions/', '')] : s);
  const out: string[] = [];
  const typeOf = (s: Schema): string => {
    if (s['x-kubernetes-int-or-string']) return 'int-or-string';
    if (Array.isArray(s.anyOf))
      return (s.anyOf as Schema[])
        .map((a) => a.type)
        .sort()
        .join('|') === 'integer|string'
        ? 'int-or-string'
        : 'anyOf';
    if (s['x-kubernetes-preserve-unknown-fields'] && !s.properties) return 'any';
    return (s.type as string) ?? 'any';
  };
  const walk = (theirs: Schema, mine: Schema, path: string) => {
    const t = typeOf(theirs);
    let m = typeOf(mine);
    // A free-form object of ours (no listed fields) is what "preserve unknown fields" means.
    if (t === 'any' && m === 'object' && !mine.properties) m = 'any';
    if (t !== m) out.push(`${path}: type ${t} upstream, ${m} ours`);
    if (JSON.stringify([...(theirs.enum ?? [])].sort()) !== JSON.stringify([...(mine.enum ?? [])].sort()))
      out.push(`${path}: enum ${JSON.stringify(theirs.enum)} upstream, ${JSON.stringify(mine.enum)} ours`);
    if (theirs.pattern !== mine.pattern) out.push(`${path}: pattern ${theirs.pattern} upstream, ${mine.pattern} ours`);
    for (const bound of ['minLength', 'maxLength'])
      if (theirs[bound] !== mine[bound]) out.push(`${path}: ${bound} ${theirs[bound]} upstream, ${mine[bound]} ours`);
    if (JSON.stringify([...(theirs.required ?? [])].sort()) !== JSON.stringify([...(mine.required ?? [])].sort()))
      out.push(`${path}: required ${JSON.stringify(theirs.required ?? [])} upstream, ${JSON.stringify(mine.required ?? [])} ours`);
    if (theirs.items || mine.items) {
      const theirItems = theirs.items;
      const myItems = resolve(mine.items);
      if (!theirItems || !myItems) out.push(`${path}[]: items only ${theirItems ? 'upstream' : 'ours'}`);
      else walk(theirItems, myItems, `${path}[]`);
    }
    const theirProps = theirs.properties ?? {};
    const myProps = mine.properties ?? {};
    for (const key of Object.keys(theirProps)) {
      const mineChild = resolve(myProps[key]);
      if (!mineChild) out.push(`${path}.${key}: missing in ours`);
      else walk(theirProps[key], mineChild, `${path}.${key}`);
    }
    for (const key of Object.keys(myProps)) if (!(key in theirProps)) out.push(`${path}.${key}: not in the CRD (invented)`);
    // A map whose values are strings upstream must be a map of strings in ours, and the reverse.
    const mapOf = (s: Schema) =>
      typeof s.additionalProperties === 'object' ? ((s.additionalProperties as Schema).type ?? 'any') : undefined;
    if (mapOf(theirs) !== mapOf(mine) && t === 'object' && !theirs['x-kubernetes-preserve-unknown-fields'])
      out.push(`${path}: map of ${mapOf(theirs) ?? 'nothing'} upstream, of ${mapOf(mine) ?? 'nothing'} ours`);
  };
  const spec = (ours.schema.properties as Record<string, Schema>).spec;
  walk(crd.properties!.spec, spec, 'spec');
  const rootRequired = (crd.required ?? []).filter((r) => r !== 'apiVersion' && r !== 'kind');
  for (const field of rootRequired)
    if (!((ours.schema.required as string[]) ?? []).includes(field)) out.push(`(root): ${field} is required upstream`);
  return out;
}

/**
 * The vendored CRD file serving each `group/version kind`. Where two releases serve one version
 * (OCIRepository v1 in source-controller v1.9.1 and v1.7.4), the file without a release in its name
 * wins: that is the newest; an older release is vendored only for a version the newest one dropped.
 */
function crdFiles(): Map<string, string> {
  const files = readdirSync(CRDS)
    .filter((f) => f.endsWith('.yaml'))
    .sort((a, b) => Number(/\.v\d/.test(a)) - Number(/\.v\d/.test(b)) || a.localeCompare(b));
  const out = new Map<string, string>();
  for (const file of files) {
    const crd = parseAllDocuments(readFileSync(join(CRDS, file), 'utf8'))
      .map((d) => d.toJS())
      .find((d) => d?.kind === 'CustomResourceDefinition');
    for (const version of crd.spec.versions as { name: string; served: boolean }[]) {
      const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
      if (version.served && !out.has(key)) out.set(key, file);
    }
  }
  return out;
}

// Each schema of ours (kinds/*) against the upstream CRD that serves its apiVersion: a new kind
// vendors its CRD in test/fixtures/crds, with its provenance, and is compared with no change here.
const served = crdFiles();
const cases: [string, string, string | undefined, string][] = kindSchemas.map((s) => [
  s.apiVersion,
  s.kind,
  served.get(`${s.apiVersion} ${s.kind}`),
  s.apiVersion.slice(s.apiVersion.indexOf('/') + 1),
]);

describe('our JSON Schemas against the upstream CRDs', () => {
  for (const [apiVersion, kind, file, version] of cases) {
    // status and Application.operation are written by the controllers, not by users: our schemas
    // accept them as free-form objects, so only spec (and the root's required list) is compared.
    test(`every field, type, enum, pattern and required list of the ${kind} ${version} CRD's spec agrees with our schema, and ours invents none`, () => {
      const ours = kindSchemas.find((s) => s.apiVersion === apiVersion && s.kind === kind);
      assert.ok(ours, `no schema of ours for ${apiVersion} ${kind}`);
      assert.ok(file, `no CRD in test/fixtures/crds serves ${apiVersion} ${kind}`);
      const found = differences(crdVersion(file, version), ours);
      assert.deepEqual(found, [], `${found.length} differences:\n${found.join('\n')}`);
    });
  }

  test('every schema of ours is compared with an upstream CRD', () => {
    const compared = new Set(cases.filter(([, , file]) => file !== undefined).map(([apiVersion, kind]) => `${apiVersion} ${kind}`));
    assert.deepEqual(
      kindSchemas.map((s) => `${s.apiVersion} ${s.kind}`).filter((k) => !compared.has(k)),
      [],
    );
  });

  test('the comparison notices a missing field, a wrong enum and an invented field', () => {
    const ours = structuredClone(kindSchemas.find((s) => s.kind === 'OCIRepository' && s.apiVersion.endsWith('/v1'))!) as KindSchema;
    const spec = (ours.schema.properties as Record<string, Schema>).spec;
    delete spec.properties!.suspend;
    spec.properties!.provider.enum = ['generic'];
    spec.properties!.colour = { type: 'string' };
    const found = differences(crdVersion('source.toolkit.fluxcd.io_ocirepositories.yaml', 'v1'), ours);
    assert.ok(
      found.some((d) => d.startsWith('spec.suspend: missing')),
      found.join('\n'),
    );
    assert.ok(
      found.some((d) => d.startsWith('spec.provider: enum')),
      found.join('\n'),
    );
    assert.ok(
      found.some((d) => d.startsWith('spec.colour: not in the CRD')),
      found.join('\n'),
    );
  });

  test('every field of ours has a description, so hover always says something', () => {
    const missing: string[] = [];
    const walk = (s: Schema, path: string, definitions: Record<string, Schema>) => {
      const resolved = s.$ref ? definitions[s.$ref.replace('#/definitions/', '')] : s;
      for (const [key, child] of Object.entries(resolved.properties ?? {})) {
        if (!child.description) missing.push(`${path}.${key}`);
        walk(child.items && !child.items.$ref ? child.items : child.items?.$ref ? child.items : child, `${path}.${key}`, definitions);
      }
    };
    for (const s of kindSchemas)
      walk((s.schema.properties as Record<string, Schema>).spec, `${s.kind}.spec`, (s.schema.definitions ?? {}) as Record<string, Schema>);
    assert.deepEqual(missing, []);
  });
});

describe('examples from the Flux and Argo CD documentation pass our schemas', () => {
  const validator = new GitOpsValidator();
  const examples: Record<string, string> = {
    'OCIRepository with semver, a layer selector and keyless verification': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    semver: ">=6.0.0"
  layerSelector:
    mediaType: application/vnd.cncf.flux.content.v1.tar+gzip
    operation: extract
  verify:
    provider: cosign
    matchOIDCIdentity:
      - issuer: ^https://token\\.actions\\.githubusercontent\\.com$
        subject: ^https://github\\.com/stefanprodan/podinfo.*$
`,
    'Kustomization from an OCIRepository': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  targetNamespace: default
  prune: true
  wait: true
  timeout: 2m
  path: ./
  sourceRef:
    kind: OCIRepository
    name: podinfo
  postBuild:
    substitute:
      cluster_env: prod
`,
    'HelmRelease with a chartRef to an OCIRepository': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 10m
  releaseName: podinfo
  chartRef:
    kind: OCIRepository
    name: podinfo
  values:
    replicaCount: 2
    ingress:
      enabled: true
  upgrade:
    remediation:
      retries: 3
      strategy: rollback
`,
    'Application from an OCI artifact, and one with several sources': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
spec:
  project: default
  source:
    repoURL: oci://registry-1.docker.io/argoproj/guestbook
    targetRevision: 1.0.0
    path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
    retry:
      limit: 5
      backoff:
        duration: 5s
        factor: 2
        maxDuration: 3m
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: multi
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: oci://ghcr.io/org/charts/app
      targetRevision: ">=1.0.0"
      path: .
      helm:
        valueFiles:
          - $values/values-prod.yaml
    - repoURL: https://github.com/org/values.git
      targetRevision: main
      ref: values
  destination:
    name: in-cluster
    namespace: app
`,
  };
  for (const [name, text] of Object.entries(examples)) {
    test(`${name}: no findings`, async () => {
      assert.deepEqual(
        await validator.validate(
          text,
          new Map([
            ['flux-system/podinfo', { selectsHelmChart: true }],
            ['default/podinfo', { selectsHelmChart: true }],
          ]),
        ),
        [],
      );
    });
  }

  test('a misspelt field, a wrong type and a bad enum value are schema errors', async () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: a
spec:
  project: default
  source:
    repoURL: oci://ghcr.io/org/app
    targetRevision: 1.0.0
    path: .
    helm:
      skipCrd: true
  destination:
    server: https://kubernetes.default.svc
  revisionHistoryLimit: ten
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: b
spec:
  interval: 5m
  chartRef:
    kind: OCIRepository
    name: b
  driftDetection:
    mode: sometimes
`;
    const found = (await validator.validate(text)).filter((d) => d.code === 'SCHEMA').map((d) => text.slice(d.start, d.end));
    assert.deepEqual(found, ['skipCrd', 'ten', 'sometimes']);
  });
});
