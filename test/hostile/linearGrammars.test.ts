import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { repositoryOfUrl } from '../../src/gitops/contract/completionSite';
import { ancestorsAt, keyLine } from '../../src/gitops/completion/valuesCompletion';
import { holdsOurKinds } from '../../src/gitops/scope';
import { INTERVAL, REPOSITORY, isSemverConstraint } from '../../src/gitops/rules/grammar';
import { parseConstraints, parseVersion, resolveSemver, rewriteRange } from '../../src/gitops/semver';
import { holdsSource, type SourceIndex } from '../../src/gitops/sources';
import { parseReference } from '../../src/oci';
import { parseRegistryHost } from '../../src/oci/reference/host';

/**
 * Issue 19, case 1: every grammar applied to text from a file or a registry runs in time linear in
 * that text. Each case feeds crafted input of n, 2n, 4n and 8n units: linear work grows about 8
 * times, quadratic 64 times, and the backtracking this replaced (`1   1   1 … 1!` as a semver
 * constraint: 100 s at 12 units, times 2.3 per unit) would not finish at the first size.
 */
function fastestMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

function quietly(run: () => unknown): () => void {
  return () => {
    try {
      run();
    } catch {
      // A refusal is an answer too: only the time it takes matters here.
    }
  };
}

/** Sizes start where the work is a millisecond or more, so timer noise cannot fake a curve. */
function assertLinear(build: (units: number) => string, apply: (input: string) => unknown, units: number): void {
  const inputs = [1, 2, 4, 8].map((factor) => build(units * factor));
  fastestMs(quietly(() => apply(inputs[0])));
  const times = inputs.map((input) => fastestMs(quietly(() => apply(input))));
  const shown = times.map((t) => t.toFixed(2)).join(', ');
  // Linear: about 8 times. Four times that, plus 5 ms of scheduling and collector noise, still tells it from 64.
  assert.ok(times[3] <= 32 * times[0] + 5, `time for n, 2n, 4n, 8n units: ${shown} ms`);
}

describe('grammars run in linear time on crafted input', { timeout: 120_000 }, () => {
  test('a semver constraint of versions separated by runs of spaces, ending in a wrong character', () => {
    const constraint = (units: number) => `${'1   '.repeat(units)}1!`;
    assertLinear(constraint, parseConstraints, 4000);
    assert.throws(() => parseConstraints(constraint(11)), /improper constraint/);
  });

  test('a semver constraint that is a long valid AND of versions', () => {
    assertLinear((units) => '>=1.2.3, '.repeat(units) + '<2', parseConstraints, 500);
    assert.equal(parseConstraints('>=1.2.3, '.repeat(3) + '<2').groups[0].length, 4);
  });

  test('a semver constraint of thousands of hyphen ranges', () => {
    assertLinear((units) => '1 - 2 '.repeat(units), rewriteRange, 1000);
    assert.equal(rewriteRange('1 - 2 3 - 4'), '>= 1, <= 2 >= 3, <= 4 ');
  });

  test('the validator and hover ask whether a long text is a constraint', () => {
    assertLinear((units) => `${'1 '.repeat(units)}x`, isSemverConstraint, 1000);
  });

  test('a tag that is almost a version: a long pre-release ending in a wrong character', () => {
    assertLinear((units) => `1.2.3-${'a.'.repeat(units)}!`, parseVersion, 5000);
  });

  test('--semver-filter with a catastrophic pattern against long tags', () => {
    const tags = (units: number) => `${'a'.repeat(units)}!`;
    assertLinear(tags, (tag) => resolveSemver([tag], '*', { controller: 'flux-oci', filter: '^(a+)+$' }), 2000);
  });

  test('an image reference whose repository is dashes and letters ending in a wrong character', () => {
    assertLinear((units) => `registry.example.test/${'a-'.repeat(units)}!:1`, parseReference, 5000);
    assertLinear((units) => `registry.example.test/${'a.'.repeat(units)}A`, parseReference, 5000);
  });

  test('a registry host with a long run of trailing slashes or dotted labels', () => {
    assertLinear((units) => `registry.example.test${'/'.repeat(units)}x`, parseRegistryHost, 5000);
    assertLinear((units) => `${'a-a.'.repeat(units)}-`, parseRegistryHost, 5000);
  });

  test('an oci:// url offered to completion, with dashes, slashes and a newline', () => {
    assertLinear((units) => `oci://r.example.test/${'a-'.repeat(units)}!`, repositoryOfUrl, 5000);
    assertLinear((units) => `oci://r.example.test/a${':'.repeat(units)}\n/`, repositoryOfUrl, 5000);
    assertLinear((units) => `oci://r.example.test/a${'/'.repeat(units)}\n`, repositoryOfUrl, 5000);
    assert.deepEqual(repositoryOfUrl('oci://r.example.test/team/app--web:1.0//'), {
      host: 'r.example.test',
      repository: 'team/app--web',
    });
  });

  test("Flux's interval and repository patterns on long values", () => {
    assertLinear(
      (units) => `${'1m'.repeat(units)}!`,
      (text) => INTERVAL.test(text),
      5000,
    );
    assertLinear(
      (units) => `${'a__a-'.repeat(units)}!`,
      (text) => REPOSITORY.test(text),
      5000,
    );
  });

  test('an ArtifactGenerator name of many placeholders against a long source name', () => {
    const index: SourceIndex = new Map([['ExternalArtifact:flux-system/{a}{b}{c}{d}{e}-x', { selectsHelmChart: false }]]);
    assertLinear(
      (units) => `ExternalArtifact:flux-system/${'a'.repeat(units)}`,
      (key) => holdsSource(index, key),
      2000,
    );
    assert.equal(holdsSource(index, 'ExternalArtifact:flux-system/abcde-x'), true);
  });

  test('a YAML file of many blank lines is sniffed for flow-style documents', () => {
    const indented = (units: number) => `  apiVersion: source.toolkit.fluxcd.io/v1\n${'  \n'.repeat(units)}a`;
    assertLinear(indented, holdsOurKinds, 5000);
    assert.equal(holdsOurKinds('\n  \n  {\n  apiVersion: source.toolkit.fluxcd.io/v1,\n  kind: OCIRepository}'), true);
  });

  test('values completion reads the keys above the cursor from lines of spaces before a comment', () => {
    const text = (units: number) => `image:\n  a${' '.repeat(units)}#\n    `;
    assertLinear(text, (yaml) => ancestorsAt(yaml, yaml.length, 4), 5000);
    assert.deepEqual(keyLine('  - name: web'), { indent: 2, dash: '- ', key: 'name' });
    assert.deepEqual(keyLine('- \tkey: v'), { indent: 0, key: '- \tkey' });
    assert.deepEqual(keyLine('  tag'), { indent: 2, key: undefined });
    assert.equal(keyLine('a   # note'), undefined);
    assert.equal(keyLine('a:b'), undefined);
  });
});
