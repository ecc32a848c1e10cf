import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { gitOpsKinds, isOurKind, kindOf } from '../../src/gitops/kinds';
import { mayHoldOurKinds, OUR_API_GROUPS, WORKLOAD_API_VERSIONS } from '../../src/gitops/kindSniff';

// The table of GitOps kinds (src/gitops/kinds/*): what every module of it must agree on, so that
// adding a kind is its module and its test, and nothing else can silently miss it.
const SRC = join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the table of GitOps kinds', () => {
  test("every kind's API group is one the activation's text check looks for, and that check looks for no other group", () => {
    const groups = new Set(gitOpsKinds.filter((k) => !k.holdsOurPart).flatMap((k) => k.groupKinds.map((g) => g.group)));
    assert.deepEqual(
      [...groups].filter((g) => !OUR_API_GROUPS.includes(g)),
      [],
      'add the group to OUR_API_GROUPS in kindSniff.ts',
    );
    assert.deepEqual(
      OUR_API_GROUPS.filter((g) => !groups.has(g)),
      [],
      'a group no kind has only makes other files load the validator',
    );
  });

  test("the kinds of Kubernetes' own we check one part of are in the groups of the workload API versions the text check looks for", () => {
    const workloadGroups = WORKLOAD_API_VERSIONS.map((v) => (v.includes('/') ? v.slice(0, v.indexOf('/')) : ''));
    const partly = gitOpsKinds.filter((k) => k.holdsOurPart);
    assert.ok(partly.length > 0);
    for (const kind of partly) {
      assert.deepEqual(kind.schemas, [], 'no schema: Kubernetes validates its own kinds, we check only our part');
      for (const g of kind.groupKinds) assert.ok(workloadGroups.includes(g.group), `${g.group} ${g.kind}`);
    }
  });

  test('a document of every kind we have a schema for is ours: the text check, the group and kind, and exactly one kind module', () => {
    for (const kind of gitOpsKinds) {
      assert.ok(kind.schemas.length > 0 || kind.holdsOurPart, `${kind.groupKinds[0].kind} has no schema`);
      for (const schema of kind.schemas) {
        const what = `${schema.apiVersion} ${schema.kind}`;
        assert.ok(mayHoldOurKinds(`apiVersion: ${schema.apiVersion}\nkind: ${schema.kind}\n`), what);
        assert.ok(isOurKind(schema.apiVersion, schema.kind), what);
        assert.ok(
          kind.groupKinds.some((g) => `${g.group}/` === schema.apiVersion.slice(0, g.group.length + 1) && g.kind === schema.kind),
          `${what} is not among the group and kinds its module declares`,
        );
        assert.equal(kindOf(schema.apiVersion, schema.kind), kind, `${what} is matched by another module first`);
        assert.deepEqual(
          gitOpsKinds.filter((k) => k.matches(schema.apiVersion, schema.kind)),
          [kind],
          `${what} is matched by more than one module`,
        );
      }
    }
  });

  test('the fields that tell a whole object from a patch are fields of the kind’s schema', () => {
    for (const kind of gitOpsKinds) {
      for (const path of kind.wholeObjectFields ?? []) {
        for (const { schema, apiVersion } of kind.schemas) {
          type Node = { properties?: Record<string, Node>; $ref?: string };
          const definitions = (schema.definitions ?? {}) as Record<string, Node>;
          let node: Node | undefined = (schema.properties as Record<string, Node>).spec;
          for (const key of path) {
            const child: Node | undefined = node?.properties?.[key];
            node = child?.$ref ? definitions[child.$ref.replace('#/definitions/', '')] : child;
          }
          assert.ok(node, `${apiVersion} ${kind.groupKinds[0].kind}: spec.${path.join('.')} is not in its schema`);
        }
      }
    }
  });

  test('no module outside src/gitops/kinds/ compares a value with the name of a kind in the table', () => {
    const names = [...new Set(gitOpsKinds.flatMap((k) => k.groupKinds.map((g) => g.kind)))].join('|');
    const comparison = new RegExp(`[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==`);
    // OCIRepository's index keys are spelt without a kind prefix (sources.ts). The impact checks
    // judge consumers the kinds already recognised, by the controller rule each kind follows
    // (layers.ts) and by the one object that names the Flux version (fluxVersion.ts).
    const allowed = new Set(['src/gitops/sources.ts', 'src/gitops/impact/checks/layers.ts', 'src/gitops/impact/fluxVersion.ts']);
    // The cluster readers compare the kind of an object a cluster's API returned for a resource
    // they listed, not a document to recognise: the table does not decide there.
    const clusterSide = (file: string) => file.startsWith('src/clusters/') || file.startsWith('src/vscode/clusters/');
    const offenders = sourceFiles(SRC)
      .map((file) => relative(join(SRC, '..'), file))
      .filter((file) => !file.startsWith('src/gitops/kinds/') && !allowed.has(file) && !clusterSide(file))
      .filter((file) => comparison.test(readFileSync(join(SRC, '..', file), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
