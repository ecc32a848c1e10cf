import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

// What `node test/run.mjs --unit` and `node test/run.mjs <words>` run, read from the compiled tests
// beside this one.
interface Selection {
  unit: boolean;
  patterns: string[];
}
interface Selector {
  parseSelection(args: string[]): Selection;
  selectStages(outTest: string, selection: Selection): { name: string; files: string[] }[];
}

const outTest = join(__dirname);
const root = join(__dirname, '..', '..');
const selector = (): Promise<Selector> => import(pathToFileURL(join(root, 'test', 'selectTests.mjs')).href) as Promise<Selector>;
const names = (files: string[]) => files.map((file) => file.slice(outTest.length + 1));

test('no argument runs every compiled test: the core and registry stage, then the editor stage', async () => {
  const { parseSelection, selectStages } = await selector();
  const [core, editor] = selectStages(outTest, parseSelection([]));
  assert.ok(names(core.files).includes('integration/pushFolder.test.js'));
  assert.ok(names(core.files).includes('core/reference.test.js'));
  assert.ok(names(editor.files).includes('editor/extension.test.js'));
  assert.ok(names(editor.files).every((name) => name.startsWith('editor/')));
});

test('--unit keeps the tests that use no registry, server, code-server or browser', async () => {
  const { parseSelection, selectStages } = await selector();
  const stages = selectStages(outTest, parseSelection(['--unit']));
  assert.equal(stages.length, 1);
  const unit = names(stages[0].files);
  for (const heavy of [
    'editor/extension.test.js',
    'editor/webviewEscaping.test.js',
    'integration/pushFolder.test.js',
    'gitops/live.test.js',
  ]) {
    assert.ok(!unit.includes(heavy), `${heavy} starts a registry or a browser`);
  }
  // It starts its registries through a fixture module (copyFixtures), not by requiring support/registry itself.
  assert.ok(!unit.includes('integration/copyFaults.test.js'), 'a registry started through a test helper counts');
  for (const light of ['core/reference.test.js', 'gitops/rules.test.js', 'architecture.test.js', 'testSelection.test.js']) {
    assert.ok(unit.includes(light), `${light} is a unit test`);
  }
});

test('words select the files whose path holds any of them', async () => {
  const { parseSelection, selectStages } = await selector();
  const files = selectStages(outTest, parseSelection(['signing/notation', 'core/ref'])).flatMap((stage) => names(stage.files));
  assert.deepEqual(files, ['core/reference.test.js', 'signing/notation.test.js']);
  const unitGitops = selectStages(outTest, parseSelection(['--unit', 'gitops/'])).flatMap((stage) => names(stage.files));
  assert.ok(unitGitops.includes('gitops/rules.test.js'));
  assert.ok(unitGitops.every((name) => name.startsWith('gitops/') && name !== 'gitops/live.test.js'));
});

test('an unknown option is refused rather than read as a word that matches nothing', async () => {
  const { parseSelection } = await selector();
  assert.throws(() => parseSelection(['--filter=copy']), /Unknown option --filter=copy: test\/run.mjs takes --unit and path substrings/);
});
