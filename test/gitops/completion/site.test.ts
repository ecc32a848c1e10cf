import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionSiteAt } from '../../../src/gitops/kindQueries';

/** The text with `|` removed, and the offset where it stood. */
function at(textWithCursor: string): [string, number] {
  const offset = textWithCursor.indexOf('|');
  return [textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset];
}

const oci = (ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
spec:
  url: oci://registry.example:5000/fleet/app
  ref:
    ${ref}
`;

test('an empty ref.tag of an OCIRepository asks for the tags of its spec.url repository', () => {
  const site = completionSiteAt(...at(oci('tag: |')));
  assert.equal(site?.kind, 'tag');
  assert.deepEqual(site.kind === 'tag' && site.repo, { host: 'registry.example:5000', repository: 'fleet/app' });
  assert.equal(site.typed, '');
});

test('a half-typed tag is what the choice replaces, quotes kept', () => {
  const [text, offset] = at(oci('tag: "1.|"'));
  const site = completionSiteAt(text, offset);
  assert.equal(site?.kind, 'tag');
  assert.equal(site.typed, '1.');
  assert.equal(text.slice(site.start, site.end), '1.');
});

test('ref.semver asks for versions, read as Flux reads them, with the semverFilter beside it', () => {
  const site = completionSiteAt(...at(oci('semver: ">=1.0.0|"\n    semverFilter: "^v"')));
  assert.equal(site?.kind, 'version');
  assert.equal(site.kind === 'version' && site.controller, 'flux-oci');
  assert.equal(site.kind === 'version' && site.filter, '^v');
});

test('ref.digest asks for digests', () => {
  assert.equal(completionSiteAt(...at(oci('digest: sha256:|')))?.kind, 'digest');
});

test('spec.url asks for registries and repositories, written with oci://', () => {
  const [text, offset] = at(oci('tag: x').replace('url: oci://registry.example:5000/fleet/app', 'url: oci://reg|'));
  const site = completionSiteAt(text, offset);
  assert.equal(site?.kind, 'registry-or-repository');
  assert.equal(site.kind === 'registry-or-repository' && site.ociScheme, true);
  assert.equal(site.typed, 'oci://reg');
});

test('FluxInstance spec.sync.ref asks for the tags of spec.sync.url', () => {
  const site = completionSiteAt(
    ...at(`apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
spec:
  distribution:
    version: 2.x
  sync:
    kind: OCIRepository
    url: oci://ghcr.io/org/fleet
    ref: |
    path: clusters/prod
`),
  );
  assert.equal(site?.kind, 'tag');
  assert.deepEqual(site.kind === 'tag' && site.repo, { host: 'ghcr.io', repository: 'org/fleet' });
});

const application = (source: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
spec:
  project: default
${source}
  destination:
    server: https://kubernetes.default.svc
`;

test('an Argo CD Helm-OCI source asks for chart versions of registry/path/chart, read as Argo CD reads them', () => {
  const site = completionSiteAt(
    ...at(
      application(`  source:
    repoURL: registry.example/charts
    chart: podinfo
    targetRevision: |`),
    ),
  );
  assert.equal(site?.kind, 'version');
  assert.deepEqual(site.kind === 'version' && [site.repo, site.controller, site.helm], [
    { host: 'registry.example', repository: 'charts/podinfo' },
    'argo',
    true,
  ]);
});

test('an Argo CD OCI source in sources[] asks for tags of its oci:// repoURL', () => {
  const site = completionSiteAt(
    ...at(
      application(`  sources:
    - repoURL: https://github.com/org/values
      targetRevision: main
      ref: values
    - repoURL: oci://registry.example/fleet/app
      path: .
      targetRevision: v|`),
    ),
  );
  assert.equal(site?.kind, 'tag');
  assert.deepEqual(site.kind === 'tag' && site.repo, { host: 'registry.example', repository: 'fleet/app' });
  assert.equal(site.field, 'spec.sources.1.targetRevision');
});

test('a Helm-OCI repoURL asks for registries without oci://', () => {
  const site = completionSiteAt(
    ...at(
      application(`  source:
    repoURL: reg|
    chart: podinfo
    targetRevision: 1.0.0`),
    ),
  );
  assert.equal(site?.kind === 'registry-or-repository' && site.ociScheme, false);
});

test('fields the registry knows nothing about, and other kinds, get no registry answer', () => {
  assert.equal(completionSiteAt(...at(oci('tag: x').replace('name: app', 'name: |'))), undefined);
  assert.equal(completionSiteAt(...at('apiVersion: v1\nkind: ConfigMap\ndata:\n  tag: |\n')), undefined);
});
