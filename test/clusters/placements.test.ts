// The joins of src/clusters/where.ts on their own: which contexts a tag of the Registries view runs
// in, and how a Flux revision splits into tag and digest (source-controller getRevision writes
// `<tag>@<digest>`, or the digest alone when spec.ref.digest pins it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRevision, tagPlacements, type ClusterSource, type ContextReading } from '../../src/clusters';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);

function reading(context: string, sources: Partial<ClusterSource>[]): ContextReading {
  return {
    context,
    sources: sources.map((s) => ({
      context,
      kind: 'OCIRepository',
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      namespace: 'apps',
      name: 'web',
      url: 'oci://registry.example/team/web',
      registry: 'registry.example',
      repository: 'team/web',
      workloads: [],
      ...s,
    })),
    forbidden: [],
    missingKinds: [],
    elapsedMs: 1,
    readAt: '2026-12-06T10:00:00Z',
  };
}

const target = { registry: 'registry.example', repository: 'team/web', tag: '1.2.0' };

test('a tag runs where a source runs its digest, and is behind where a source follows it at another digest', () => {
  const readings = [reading('prod-eu', [{ tag: '1.2.0', digest: A }]), reading('staging', [{ tag: '1.2.0', digest: B }])];
  const marks = tagPlacements(readings, { ...target, digest: A });
  assert.deepEqual(marks.running, ['prod-eu']);
  assert.deepEqual(
    marks.behind.map((b) => [b.context, b.runs, b.tagIs]),
    [['staging', B, A]],
  );
});

test("before the tag's digest is known, every source following the tag counts as running it", () => {
  const readings = [reading('prod-eu', [{ tag: '1.2.0', digest: A }]), reading('staging', [{ tag: '1.2.0', digest: B }])];
  assert.deepEqual(tagPlacements(readings, target), { running: ['prod-eu', 'staging'], behind: [] });
});

test('a source pinned to the digest, or of another repository, is judged by digest and repository', () => {
  const readings = [
    reading('prod-eu', [{ digest: A }]),
    reading('staging', [{ tag: '1.2.0', digest: A, repository: 'team/other', url: 'oci://registry.example/team/other' }]),
  ];
  assert.deepEqual(tagPlacements(readings, { ...target, digest: A }), { running: ['prod-eu'], behind: [] });
});

test('a HelmRelease digest counts for its OCIRepository when the source reports none', () => {
  const readings = [
    reading('prod-eu', [{ tag: '1.2.0', workloads: [{ kind: 'HelmRelease', namespace: 'apps', name: 'web', digest: B }] }]),
  ];
  assert.equal(tagPlacements(readings, { ...target, digest: A }).behind[0]?.runs, B);
});

test('a Flux revision splits into tag and digest; a chart version is a tag', () => {
  assert.deepEqual(splitRevision(`1.2.0@${A}`), { tag: '1.2.0', digest: A });
  assert.deepEqual(splitRevision(A), { digest: A });
  assert.deepEqual(splitRevision('6.5.0+build.1'), { tag: '6.5.0+build.1' });
  assert.deepEqual(splitRevision(undefined), {});
});
