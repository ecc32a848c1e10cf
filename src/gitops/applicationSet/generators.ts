import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { RuleContext } from '../contract/ruleContext';

const GENERATORS_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators/';
const MATRIX_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Matrix/';
const MERGE_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Merge/';
const GIT_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Git/';

/** The generators that make parameter sets themselves (argo-cd ApplicationSetTerminalGenerator). */
const TERMINAL = ['list', 'clusters', 'git', 'scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin'];
/** The generators that combine the parameter sets of child generators. */
const COMBINATIONS = ['matrix', 'merge'];
/** Keys of a generator entry that are not generators. */
const NOT_GENERATORS = ['selector'];

/**
 * How deep a list of generators sits: the ApplicationSet's own, the children of a matrix or merge,
 * or the children of a matrix or merge nested in one (argo-cd NestedMatrixGenerator and
 * NestedMergeGenerator take only terminal generators: combinations nest once).
 */
type Level = 'top' | 'child' | 'nested-child';

/** spec.generators and, through every matrix and merge, the generators inside them. */
export function checkGenerators(ctx: RuleContext): void {
  checkList(ctx, ['spec', 'generators'], 'top');
}

function checkList(ctx: RuleContext, path: (string | number)[], level: Level): void {
  const list = ctx.node(...path);
  if (!isSeq(list)) return;
  list.items.forEach((item, index) => {
    if (isMap(item)) checkEntry(ctx, [...path, index], item, level);
  });
}

function checkEntry(ctx: RuleContext, path: (string | number)[], entry: YAMLMap, level: Level): void {
  const allowed = level === 'nested-child' ? [...TERMINAL, ...NOT_GENERATORS] : [...TERMINAL, ...COMBINATIONS, ...NOT_GENERATORS];
  const generators: string[] = [];
  // Whether a key was already told as no generator it may hold.
  let unknown = false;
  for (const pair of entry.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const range: [number, number] = pair.key.range ? [pair.key.range[0], pair.key.range[1]] : ctx.valueRange(...path);
    if (COMBINATIONS.includes(key) && level === 'nested-child') {
      ctx.report(
        'APPSET006',
        'error',
        `A ${key} generator inside a matrix or merge that is itself inside one: combination generators nest only once; flatten this level`,
        range,
        MATRIX_DOCS,
      );
      unknown = true;
      continue;
    }
    // The controller refuses the ApplicationSet ("contains unrecognized generators",
    // applicationset/utils/utils.go CheckInvalidGenerators); inside a nested matrix or merge the key
    // is dropped and the child makes nothing.
    if (!allowed.includes(key)) {
      ctx.report(
        'APPSET001',
        'error',
        `Unknown generator "${key}"; Argo CD's generators are ${[...TERMINAL, ...COMBINATIONS].join(', ')} (and selector filters what they make)`,
        range,
        GENERATORS_DOCS,
      );
      unknown = true;
      continue;
    }
    if (NOT_GENERATORS.includes(key)) continue;
    generators.push(key);
    if (level !== 'top' && isMap(ctx.node(...path, key, 'template')))
      ctx.report(
        'APPSET007',
        'warning',
        `The template of a ${key} generator inside a matrix or merge is ignored: only the generators of spec.generators override the template`,
        rangeOfKey(ctx, [...path, key], 'template'),
        MATRIX_DOCS,
      );
    if (key === 'matrix' || key === 'merge') checkCombination(ctx, [...path, key], key, level);
    if (key === 'git') checkGit(ctx, [...path, key]);
    if (key === 'scmProvider' || key === 'pullRequest') checkOneProvider(ctx, [...path, key], key);
  }
  const whereRange = ctx.valueRange(...path);
  // An unknown generator is already told; saying the entry makes nothing would say it twice.
  if (generators.length === 0 && !unknown) {
    // Argo CD makes nothing from an entry without a generator; inside a matrix or merge that is an
    // error ("child generator generated no parameters", applicationset/generators/matrix.go).
    ctx.report(
      'APPSET002',
      level === 'top' ? 'warning' : 'error',
      `This generator entry has no generator (${TERMINAL.join(', ')}, ${COMBINATIONS.join(', ')}), so it makes no Applications`,
      whereRange,
      GENERATORS_DOCS,
    );
  } else if (generators.length > 1 && level !== 'top') {
    // matrix.go and merge.go: ErrMoreThenOneInnerGenerators.
    ctx.report(
      'APPSET005',
      'error',
      `A child of a matrix or merge holds one generator; this one holds ${generators.join(' and ')}: make each its own child`,
      rangeOfKey(ctx, path, generators[1]),
      GENERATORS_DOCS,
    );
  }
}

/** A matrix combines exactly two children; a merge two or more, on at least one merge key (matrix.go, merge.go). */
function checkCombination(ctx: RuleContext, path: (string | number)[], kind: 'matrix' | 'merge', level: Level): void {
  const children = ctx.node(...path, 'generators');
  if (!isSeq(children)) return;
  const count = children.items.length;
  const anchor = rangeOfKey(ctx, path, 'generators');
  if (kind === 'matrix' && count !== 2)
    ctx.report(
      'APPSET003',
      'error',
      `A matrix generator combines exactly two child generators; this one has ${count}${count > 2 ? ': nest a matrix as one of the two to combine more' : ''}`,
      anchor,
      MATRIX_DOCS,
    );
  if (kind === 'merge' && count < 2)
    ctx.report('APPSET004', 'error', `A merge generator needs two or more child generators; this one has ${count}`, anchor, MERGE_DOCS);
  const keys = ctx.node(...path, 'mergeKeys');
  if (kind === 'merge' && isSeq(keys) && keys.items.length === 0)
    ctx.report(
      'APPSET004',
      'error',
      'A merge generator needs at least one merge key: the parameters whose values pair up the sets',
      rangeOfKey(ctx, path, 'mergeKeys'),
      MERGE_DOCS,
    );
  if (level !== 'top' && ctx.has(...path, 'template'))
    ctx.report(
      'APPSET007',
      'warning',
      `A ${kind} inside a matrix or merge takes no template; it is ignored`,
      rangeOfKey(ctx, path, 'template'),
      MATRIX_DOCS,
    );
  checkList(ctx, [...path, 'generators'], level === 'top' ? 'child' : 'nested-child');
}

/** The git generator reads directories or files (git.go: neither is ErrEmptyAppSetGenerator; directories win over files). */
function checkGit(ctx: RuleContext, path: (string | number)[]): void {
  const directories = listLength(ctx, [...path, 'directories']);
  const files = listLength(ctx, [...path, 'files']);
  if (directories === 0 && files === 0)
    ctx.report(
      'APPSET008',
      'error',
      'A git generator needs directories or files: the paths whose folders or files become parameter sets',
      rangeOfKey(ctx, path.slice(0, -1), 'git'),
      GIT_DOCS,
    );
  else if (directories > 0 && files > 0)
    ctx.report(
      'APPSET008',
      'warning',
      'A git generator reads directories or files, not both: with directories set, files is ignored; use two generators',
      rangeOfKey(ctx, path, 'files'),
      GIT_DOCS,
    );
}

/** An SCM provider or pull request generator talks to one service (scm_provider.go, pull_request.go pick one in turn). */
function checkOneProvider(ctx: RuleContext, path: (string | number)[], kind: string): void {
  const node = ctx.node(...path);
  if (!isMap(node)) return;
  const services =
    kind === 'scmProvider'
      ? ['github', 'gitlab', 'gitea', 'bitbucket', 'bitbucketServer', 'azureDevOps', 'awsCodeCommit']
      : ['github', 'gitlab', 'gitea', 'bitbucket', 'bitbucketServer', 'azuredevops'];
  const present = services.filter((service) => node.has(service));
  const docs = `https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-${kind === 'scmProvider' ? 'SCM-Provider' : 'Pull-Request'}/`;
  if (present.length === 0)
    ctx.report(
      'APPSET009',
      'error',
      `A ${kind} generator names its service: one of ${services.join(', ')}`,
      rangeOfKey(ctx, path.slice(0, -1), kind),
      docs,
    );
  else if (present.length > 1)
    ctx.report(
      'APPSET009',
      'error',
      `A ${kind} generator talks to one service; this one names ${present.join(' and ')}, and Argo CD would use only one: use a generator for each`,
      rangeOfKey(ctx, path, present[1]),
      docs,
    );
}

function listLength(ctx: RuleContext, path: (string | number)[]): number {
  const node = ctx.node(...path);
  return isSeq(node) ? node.items.length : 0;
}

/** The range of a key in the map at `path`, else of the map itself. */
function rangeOfKey(ctx: RuleContext, path: (string | number)[], key: string): [number, number] {
  const map = ctx.node(...path);
  const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const range = isScalar(pair?.key) ? pair.key.range : undefined;
  return range ? [range[0], range[1]] : ctx.valueRange(...path);
}
