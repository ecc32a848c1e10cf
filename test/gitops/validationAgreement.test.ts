// `oci-gitops validate`, the push gate and the editor answer "what is wrong with these files" through
// the one core WorkspacePicture (src/gitops/workspacePicture.ts): the CLI and the gate by way of
// validateFiles, the editor by building the picture of its workspace. It decides which files are
// ours, indexes their sources and gives each file its kustomize role, so for one folder the three
// must give the same findings. The vscode layer runs in-process against test/support/fakeVscode.ts,
// as test/bundle/lazyLoading.test.ts runs the bundle.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listFolder } from '../../src/artifact/folderEntries';
import { WorkspacePicture } from '../../src/gitops/workspacePicture';
import { silentLogger } from '../../src/oci/logger';
import { cli } from '../support/cli';
import { fake, fakeDocument, Uri, window, workspace, type Diagnostic } from '../support/fakeVscode';
import { makeFolder } from '../support/folders';
import { serveFakeVscode } from '../support/moduleHooks';

interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

const SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app\n  ref:\n    tag: 1.2.3\n';
// The Kustomization names "ap", a source no file declares: Flux would wait for it forever.
const BROKEN_SYNC =
  'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./\n  sourceRef:\n    kind: OCIRepository\n    name: ap\n';
// A tag in the url (Flux takes it from spec.ref): an error.
const TAG_IN_URL =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/web:1.2.3\n';

// Not ours: no finding, whoever asks.
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n';

const SEVERITY = ['error', 'warning', 'info'];

/** A Problems-panel entry as a finding (1-based), whichever side produced it. */
function asFinding(file: string, d: Diagnostic): Finding {
  const range = d.range as unknown as { start: { line: number; character: number }; end: { line: number; character: number } };
  const code = d.code as string | { value: string };
  return {
    file,
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
    severity: SEVERITY[d.severity ?? 0],
    code: typeof code === 'string' ? code : code.value,
    message: d.message,
  };
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** A diagnostic collection that keeps what was set, as the Problems panel would show it. */
function problemsPanel() {
  const shown = new Map<string, Diagnostic[]>();
  return {
    shown,
    findings: () => sorted([...shown].flatMap(([file, diagnostics]) => diagnostics.map((d) => asFinding(file, d)))),
    set: (uri: Uri, diagnostics: Diagnostic[]) => void shown.set(uri.fsPath, diagnostics),
    delete: (uri: Uri) => void shown.delete(uri.fsPath),
    has: (uri: Uri) => shown.has(uri.fsPath),
    clear: () => shown.clear(),
    get: (uri: Uri) => shown.get(uri.fsPath),
    forEach: () => undefined,
    dispose: () => undefined,
  };
}

type Gate = (problems: unknown, listing: unknown, key: string) => Promise<boolean>;
type RegisterValidation = (context: unknown, collection: unknown, deps: unknown) => void;

describe('oci-gitops validate, the push gate and the editor give the same findings for one folder', () => {
  const folders: string[] = [];
  const dialogs: string[] = [];
  let passesYamlGate: Gate;
  let registerValidation: RegisterValidation;

  before(() => {
    serveFakeVscode();
    const load = createRequire(__filename);
    passesYamlGate = (load('../../src/vscode/push/yamlGate.js') as { passesYamlGate: Gate }).passesYamlGate;
    registerValidation = (load('../../src/vscode/validation/registerValidation.js') as { registerValidation: RegisterValidation })
      .registerValidation;
    // The gate's modal dialog: record what it says, answer as a user who closes it.
    (window as unknown as Record<string, unknown>).showWarningMessage = async (message: string) => {
      dialogs.push(message);
      return undefined;
    };
    // Offline, as in Restricted Mode: no live registry check runs in this test.
    (workspace as unknown as Record<string, unknown>).isTrusted = false;
  });
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  function folder(files: Record<string, string>): string {
    const dir = makeFolder(files, 'oci-gitops-agreement-');
    folders.push(dir);
    return dir;
  }

  async function validateCli(dir: string): Promise<{ code: number; findings: Finding[] }> {
    const result = await cli(['validate', '--format', 'json', dir]);
    return { code: result.code, findings: sorted(JSON.parse(result.stdout) as Finding[]) };
  }

  async function gate(dir: string): Promise<{ passed: boolean; findings: Finding[] }> {
    const problems = problemsPanel();
    const passed = await passesYamlGate(problems, await listFolder(dir), 'fleet');
    return { passed, findings: problems.findings() };
  }

  /**
   * The editor with the folder as its workspace, every file opened once the workspace is indexed;
   * `shown` are the files expected in the Problems panel (by default all of them).
   */
  async function editor(dir: string, paths: string[], shown = paths): Promise<Finding[]> {
    const files = paths.map((p) => join(dir, p));
    const withProblems = shown.map((p) => join(dir, p));
    let read = 0;
    Object.assign(workspace, {
      findFiles: async (pattern: string) => (pattern.includes('yaml') ? files.map((f) => Uri.file(f)) : []),
    });
    Object.assign(workspace.fs, {
      readFile: async (uri: Uri) => {
        read++;
        return readFileSync(uri.fsPath);
      },
    });
    const problems = problemsPanel();
    const context = { subscriptions: [] as { dispose?: () => void }[] };
    const log = window.createOutputChannel();
    registerValidation(context, problems, { client: {}, logger: silentLogger, log });
    try {
      await until(() => read === files.length);
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const file of files) fake.open(fakeDocument(file, readFileSync(file, 'utf8')));
      await until(() => withProblems.every((f) => problems.shown.has(f)));
      return problems.findings();
    } finally {
      for (const subscription of context.subscriptions) subscription?.dispose?.();
      fake.textDocuments.length = 0;
    }
  }

  test('a folder with an error and a broken sourceRef: the three list the same findings, and the gate stops the push', async () => {
    const files = { 'flux/source.yaml': SOURCE, 'flux/sync.yaml': BROKEN_SYNC, 'flux/web.yaml': TAG_IN_URL };
    const dir = folder(files);
    const fromCli = await validateCli(dir);
    assert.equal(fromCli.code, 1, 'validate exits 1: there is an error');
    assert.deepEqual(
      fromCli.findings.map((f) => `${f.file.slice(dir.length + 1)} ${f.severity} ${f.code}`),
      ['flux/sync.yaml warning FLUX005', 'flux/web.yaml info OCI007', 'flux/web.yaml error OCI004'],
    );
    const fromGate = await gate(dir);
    assert.equal(fromGate.passed, false, 'the gate stops the push');
    assert.deepEqual(fromGate.findings, fromCli.findings);
    assert.deepEqual(await editor(dir, Object.keys(files)), [...fromCli.findings]);
  });

  test('a push whose only problem is a sourceRef naming a source the folder lacks is stopped, as validate flags it', async () => {
    const dir = folder({ 'source.yaml': SOURCE, 'sync.yaml': BROKEN_SYNC });
    const fromCli = await validateCli(dir);
    assert.deepEqual(
      fromCli.findings.map((f) => [f.severity, f.code, f.message]),
      [['warning', 'FLUX005', 'No OCIRepository "ap" in namespace "flux-system" was found in the workspace; check the name, or add it']],
    );
    dialogs.length = 0;
    const fromGate = await gate(dir);
    assert.equal(fromGate.passed, false);
    assert.deepEqual(dialogs, ['1 warning in 1 YAML file of fleet']);
    assert.deepEqual(fromGate.findings, fromCli.findings);
  });

  test('each of the three judges every file of ours through the core picture, and only those', async () => {
    const files = { 'source.yaml': SOURCE, 'sync.yaml': BROKEN_SYNC, 'settings.yaml': CONFIG_MAP };
    const dir = folder(files);
    const ours = ['source.yaml', 'sync.yaml'].map((p) => join(dir, p));
    const asked = { scope: [] as string[], judged: [] as string[] };
    const { scopeOf, validate } = WorkspacePicture.prototype;
    WorkspacePicture.prototype.scopeOf = function (path, text) {
      if (path) asked.scope.push(path);
      return scopeOf.call(this, path, text);
    };
    WorkspacePicture.prototype.validate = function (validator, path, text, signal) {
      if (path) asked.judged.push(path);
      return validate.call(this, validator, path, text, signal);
    };
    const through = async (run: () => Promise<unknown>) => {
      asked.scope.length = 0;
      asked.judged.length = 0;
      await run();
      return { scoped: [...new Set(asked.scope)].sort(), judged: [...asked.judged].sort() };
    };
    try {
      const all = Object.keys(files)
        .map((p) => join(dir, p))
        .sort();
      const expected = { scoped: all, judged: ours };
      assert.deepEqual(await through(() => validateCli(dir)), expected, 'oci-gitops validate');
      assert.deepEqual(await through(() => gate(dir)), expected, 'the push gate');
      const editorWay = await through(() => editor(dir, Object.keys(files), ['source.yaml', 'sync.yaml']));
      assert.deepEqual(editorWay.scoped, all, 'the editor');
      assert.deepEqual([...new Set(editorWay.judged)].sort(), ours, 'the editor');
    } finally {
      Object.assign(WorkspacePicture.prototype, { scopeOf, validate });
    }
  });

  test("a source declared only in a chart's templates/ folder is not the workspace's: the three warn alike", async () => {
    // Helm renders a chart's templates before they are YAML: a source written there is not one
    // the cluster gets by applying the folder, so the Kustomization naming it is told so.
    const files = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      'chart/templates/source.yaml': SOURCE.replace('name: app\n', 'name: ap\n'),
      'sync.yaml': BROKEN_SYNC,
    };
    const dir = folder(files);
    const fromCli = await validateCli(dir);
    assert.deepEqual(
      fromCli.findings.map((f) => `${f.file.slice(dir.length + 1)} ${f.severity} ${f.code}`),
      ['sync.yaml warning FLUX005'],
    );
    assert.deepEqual((await gate(dir)).findings, fromCli.findings);
    assert.deepEqual(await editor(dir, Object.keys(files), ['sync.yaml']), fromCli.findings);
  });

  test('a folder whose sources all resolve passes the gate without a dialog', async () => {
    const dir = folder({ 'source.yaml': SOURCE, 'sync.yaml': BROKEN_SYNC.replace('name: ap\n', 'name: app\n') });
    assert.deepEqual((await validateCli(dir)).findings, []);
    dialogs.length = 0;
    assert.equal((await gate(dir)).passed, true);
    assert.deepEqual(dialogs, []);
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, 'timed out waiting for the editor');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
