import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cli } from '../support/cli';
import { seedManyTags } from '../support/manyTags';
import { useRegistry } from '../support/useRegistry';

/**
 * `oci-gitops tags --semver` against CNCF Distribution holding a few hundred tags of every shape a
 * release pipeline leaves. Each expected winner below is worked out by hand from Masterminds/semver
 * v3.4.0 (constraints.go, version.go) and from how each controller reads tags:
 * - Flux OCIRepository: fluxcd/source-controller internal/controller/ocirepository_controller.go
 *   getTagBySemver + fluxcd/pkg version/version.go ParseVersion (strict semver after one `v`).
 * - Flux HelmChart from an OCI HelmRepository: helm pkg/registry/client.go Tags (`_` → `+`, strict, no `v`)
 *   + source-controller internal/helm/repository/oci_chart_repository.go getLastMatchingVersionOrConstraint.
 * - Argo CD: argo-cd util/versions/tags.go MaxVersion (loose NewVersion: `5.0`, `v6`, `7.01.0` count; a
 *   version is a pin) and util/helm/client.go GetTags (`_` → `+` for Helm-OCI charts).
 * They are not computed with the module under test.
 */
function tagSet(): string[] {
  const tags: string[] = [];
  for (let major = 0; major <= 3; major++)
    for (let minor = 0; minor <= 11; minor++) for (let patch = 0; patch <= 5; patch++) tags.push(`${major}.${minor}.${patch}`);
  tags.push(
    // pre-releases
    '0.0.1-alpha',
    '1.12.0-rc.1',
    '2.0.0-alpha.1',
    '3.12.0-alpha.1',
    '3.12.0-alpha.2',
    '3.12.0-alpha.10',
    '3.12.0-beta.1',
    '3.12.0-rc.1',
    '3.12.0-rc.2',
    '4.0.0-rc.1',
    '4.0.0-rc.2',
    '4.0.0-rc.10',
    // v-prefixed
    'v4.0.0',
    'v4.1.0',
    'v4.1.1',
    'v4.2.0-rc.1',
    // Helm's spelling of build metadata
    '4.3.0_build.1',
    // not semantic versions to Flux; some are to Argo CD's loose parser
    'latest',
    'main',
    'stable',
    'sha-3f2a9c1',
    'release-1.0',
    '5.0',
    'v6',
    '7.01.0',
    '2024.01.15',
  );
  return tags;
}

interface Case {
  constraint: string;
  /** Extra flags: --argo, --helm, --semver-filter <re>. */
  flags?: string[];
  /** The first line printed: what the controller picks. undefined: nothing matches (exit 1). */
  winner: string | undefined;
  /** When given, every line printed, in order. */
  all?: string[];
}

const FLUX: Case[] = [
  { constraint: '*', winner: 'v4.1.1' },
  { constraint: '>=1.0.0', winner: 'v4.1.1' },
  { constraint: '^1.0.0', winner: '1.11.5' },
  { constraint: '^1.2', winner: '1.11.5' },
  { constraint: '~1.2', winner: '1.2.5' },
  { constraint: '~1.2.3', winner: '1.2.5', all: ['1.2.5', '1.2.4', '1.2.3'] },
  { constraint: '~1', winner: '1.11.5' },
  { constraint: '1.x', winner: '1.11.5' },
  { constraint: '1.2.x', winner: '1.2.5' },
  { constraint: '1.2.*', winner: '1.2.5' },
  // A bare partial version reads as a tilde range.
  { constraint: '2', winner: '2.11.5' },
  { constraint: '=2.3', winner: '2.3.5' },
  { constraint: '2.3.4', winner: '2.3.4', all: ['2.3.4'] },
  { constraint: 'v2.3.4', winner: '2.3.4' },
  { constraint: '>1.2.3 <1.3', winner: '1.2.5', all: ['1.2.5', '1.2.4'] },
  { constraint: '>=1.2.3, <1.3.0', winner: '1.2.5', all: ['1.2.5', '1.2.4', '1.2.3'] },
  { constraint: '<1', winner: '0.11.5' },
  // `<=1` keeps every 1.x (constraintLessThanEqual with a dirty minor), unlike node-semver's reading.
  { constraint: '<=1', winner: '1.11.5' },
  { constraint: '<=1.2', winner: '1.2.5' },
  { constraint: '>1', winner: 'v4.1.1' },
  // `>1` is "2.0.0 or more" (constraintGreaterThan with a dirty minor), so nothing is between it and 2.
  { constraint: '>1 <2', winner: undefined },
  // `>1.10` needs minor 11 or more within major 1 (constraintGreaterThan with a dirty patch).
  { constraint: '>1.10 <2', winner: '1.11.5' },
  { constraint: '>1.11 <2', winner: undefined },
  { constraint: '!=3.11.5, <4', winner: '3.11.4' },
  { constraint: '1.0.0 - 1.2.3', winner: '1.2.3' },
  { constraint: '1 - 2', winner: '2.11.5' },
  { constraint: '^0.2.3', winner: '0.2.5', all: ['0.2.5', '0.2.4', '0.2.3'] },
  { constraint: '^0.0.3', winner: '0.0.3', all: ['0.0.3'] },
  { constraint: '^0.0', winner: '0.0.5' },
  { constraint: '^0', winner: '0.11.5' },
  // `~0.0.0` is "anything" in Masterminds.
  { constraint: '~0.0.0', winner: 'v4.1.1' },
  // A pre-release in the constraint lets pre-releases in; numeric identifiers compare as numbers.
  { constraint: '>=3.12.0-0', winner: 'v4.2.0-rc.1' },
  // With pre-releases let in, the upper bound's own pre-releases are below it: 4.0.0-rc.10 < 4.0.0.
  { constraint: '>=3.12.0-0 <4.0.0', winner: '4.0.0-rc.10' },
  {
    constraint: '>=3.12.0-0 <3.12.0',
    winner: '3.12.0-rc.2',
    all: ['3.12.0-rc.2', '3.12.0-rc.1', '3.12.0-beta.1', '3.12.0-alpha.10', '3.12.0-alpha.2', '3.12.0-alpha.1'],
  },
  { constraint: '>=4.0.0-rc.1 <4.0.0', winner: '4.0.0-rc.10', all: ['4.0.0-rc.10', '4.0.0-rc.2', '4.0.0-rc.1'] },
  { constraint: '>=3.12.0-alpha.1 <3.12.0-beta', winner: '3.12.0-alpha.10' },
  // source-controller #1656: `-x` lets every pre-release in, so the newest pre-release wins.
  { constraint: '>=1.0.0-x', winner: 'v4.2.0-rc.1' },
  { constraint: '~3.12.0-0', winner: '3.12.0-rc.2' },
  { constraint: '^4.0.0-0', winner: 'v4.2.0-rc.1' },
  { constraint: '^4', winner: 'v4.1.1', all: ['v4.1.1', 'v4.1.0', 'v4.0.0'] },
  { constraint: '4.0.x', winner: 'v4.0.0' },
  { constraint: '~4.1', winner: 'v4.1.1' },
  // 5.0, v6, 7.01.0 and 2024.01.15 are not strict semver: Flux never picks them.
  { constraint: '>=5', winner: undefined },
  // Without a pre-release in the constraint, 1.12.0-rc.1 stays out.
  { constraint: '1.12.x', winner: undefined },
  { constraint: '>=1.12.0-0 <2', winner: '2.0.0-alpha.1' },
  { constraint: '>=1.12.0-0 <2.0.0-0', winner: '1.12.0-rc.1', all: ['1.12.0-rc.1'] },
  { constraint: '2.0.0-alpha.1', winner: '2.0.0-alpha.1' },
  { constraint: '<0.0.1', winner: '0.0.0' },
  { constraint: '<0.0.1-beta', winner: '0.0.1-alpha' },
  { constraint: '>=1.2.3 <1.2.4 || >=2.5.0 <2.5.1', winner: '2.5.0', all: ['2.5.0', '1.2.3'] },
  { constraint: '=v4.1.0', winner: 'v4.1.0' },
  { constraint: '< 0', winner: undefined },
  { constraint: '>=2.0.0-0 <2.0.0', winner: '2.0.0-alpha.1' },
  // 4.3.0_build.1 is not a semantic version to an OCIRepository.
  { constraint: '>=4.3', winner: undefined },
];

const FILTERED: Case[] = [
  { constraint: '*', flags: ['--semver-filter', '^v'], winner: 'v4.1.1' },
  { constraint: '*', flags: ['--semver-filter', '^3\\.'], winner: '3.11.5' },
  { constraint: '>=4.0.0-0', flags: ['--semver-filter', '^4\\.'], winner: '4.0.0-rc.10' },
  { constraint: '^1', flags: ['--semver-filter', '^1\\.[0-9]\\.'], winner: '1.9.5' },
];

const ARGO: Case[] = [
  // NewVersion coerces 2024.01.15, 7.01.0, v6 and 5.0.
  { constraint: '*', flags: ['--argo'], winner: '2024.01.15' },
  { constraint: '>=5 <2024', flags: ['--argo'], winner: '7.01.0' },
  { constraint: '^6', flags: ['--argo'], winner: 'v6' },
  { constraint: '~5.0', flags: ['--argo'], winner: '5.0' },
  { constraint: '>=1.0.0-x', flags: ['--argo'], winner: '2024.01.15' },
  { constraint: '^1.2', flags: ['--argo'], winner: '1.11.5' },
  // `2.3.4` is a version, so a pin: Argo CD fetches exactly that tag.
  { constraint: '2.3.4', flags: ['--argo'], winner: '2.3.4', all: ['2.3.4'] },
  { constraint: '>=4.3 <5', flags: ['--argo'], winner: undefined },
  { constraint: '>=4.3 <5', flags: ['--argo', '--helm'], winner: '4.3.0_build.1' },
  { constraint: '^4', flags: ['--argo', '--helm'], winner: '4.3.0_build.1', all: ['4.3.0_build.1', 'v4.1.1', 'v4.1.0', 'v4.0.0'] },
];

const FLUX_HELM: Case[] = [
  // Helm keeps strict versions only, so the v-prefixed tags are not chart versions.
  { constraint: '^4', flags: ['--helm'], winner: '4.3.0_build.1', all: ['4.3.0_build.1'] },
  { constraint: '*', flags: ['--helm'], winner: '4.3.0_build.1' },
  { constraint: '~3.11', flags: ['--helm'], winner: '3.11.5' },
];

describe('oci-gitops tags --semver against a registry with a few hundred tags', () => {
  const ctx = useRegistry({ auth: 'none' });
  const tags = tagSet();
  let repository: string;

  before(async () => {
    await seedManyTags(ctx.client, ctx.registry, 'charts/app', tags);
    repository = `${ctx.registry.host}/charts/app`;
    const listed = await cli(['tags', repository]);
    assert.equal(listed.stdout.trim().split('\n').length, tags.length);
  });

  test('the registry holds a few hundred tags of every shape', () => {
    assert.ok(tags.length >= 300, `${tags.length} tags`);
    assert.ok(FLUX.length + FILTERED.length + ARGO.length + FLUX_HELM.length >= 40);
  });

  for (const [name, cases] of [
    ['Flux OCIRepository', FLUX],
    ['Flux with semverFilter', FILTERED],
    ['Argo CD', ARGO],
    ['Flux HelmChart from an OCI HelmRepository', FLUX_HELM],
  ] as const) {
    for (const c of cases) {
      const flags = c.flags ?? [];
      test(`${name}: "${c.constraint}"${flags.length ? ` ${flags.join(' ')}` : ''} picks ${c.winner ?? 'nothing'}`, async () => {
        const result = await cli(['tags', repository, '--semver', c.constraint, ...flags]);
        const lines = result.stdout.split('\n').filter(Boolean);
        if (c.winner === undefined) {
          assert.equal(result.code, 1, result.stdout);
          assert.equal(lines.length, 0);
          assert.match(result.stderr, /no tag .* satisfies/);
          return;
        }
        assert.equal(result.code, 0, result.stderr);
        assert.equal(lines[0], c.winner);
        if (c.all) assert.deepEqual(lines, c.all);
      });
    }
  }

  test('Argo CD reads a partial version as a pin, so a missing tag "1.2" fails where Flux reads the range 1.2.x', async () => {
    const argo = await cli(['tags', repository, '--semver', '1.2', '--argo']);
    assert.equal(argo.code, 1);
    assert.equal(argo.stdout, '1.2\n');
    assert.match(argo.stderr, /as a version, not a range/);
    const flux = await cli(['tags', repository, '--semver', '1.2']);
    assert.equal(flux.stdout.split('\n')[0], '1.2.5');
  });

  test('a semverFilter Go refuses is an error naming the filter, exit 1', async () => {
    const result = await cli(['tags', repository, '--semver', '*', '--semver-filter', '(']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /semverFilter \( is not a Go regular expression/);
  });

  test('a constraint Masterminds refuses is an error naming it, exit 1', async () => {
    const result = await cli(['tags', repository, '--semver', '>= bar']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /semver '>= bar' parse error/);
  });

  test('--argo with --semver-filter is a usage error: Argo CD has no such field', async () => {
    const result = await cli(['tags', repository, '--semver', '*', '--argo', '--semver-filter', 'x']);
    assert.equal(result.code, 2);
  });

  test('a tag that looks like a version but fails validation (1.0.0-01) stops Argo CD, while Flux skips it', async () => {
    await seedManyTags(ctx.client, ctx.registry, 'charts/leading-zero', ['1.0.0', '1.0.0-01', '0.9.0']);
    const where = `${ctx.registry.host}/charts/leading-zero`;
    const argo = await cli(['tags', where, '--semver', '>=0.1', '--argo']);
    assert.equal(argo.code, 1);
    assert.match(argo.stderr, /invalid semver version in tags: 1\.0\.0-01/);
    const flux = await cli(['tags', where, '--semver', '>=0.1']);
    assert.equal(flux.stdout, '1.0.0\n0.9.0\n');
  });
});
