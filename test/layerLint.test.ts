import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { parser } from 'typescript-eslint';

// The lint rule of eslint.layers.mjs, run as `npm run lint` runs it, on imports written for the
// purpose: each direction the architecture test guards is refused, and the allowed ones pass.
const root = join(__dirname, '..', '..');

async function layers(): Promise<{ LAYERS: Record<string, string[]>; layerConfig: Linter.Config }> {
  return import(pathToFileURL(join(root, 'eslint.layers.mjs')).href) as Promise<{
    LAYERS: Record<string, string[]>;
    layerConfig: Linter.Config;
  }>;
}

/** The layer rule's messages for `code` written at `path` (relative to the repository). */
async function layerFindings(path: string, code: string): Promise<string[]> {
  const { layerConfig } = await layers();
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser } }, layerConfig],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

test('a core folder importing vscode is refused, naming the folder and where the code goes', async () => {
  const findings = await layerFindings('src/gitops/kinds/example.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
  assert.equal(findings.length, 1);
  assert.match(findings[0], /^layers\/direction: src\/gitops may not import vscode: only src\/vscode\/ talks to the editor/);
  assert.equal((await layerFindings('src/cli/example.ts', "export { window } from 'vscode';\n")).length, 1);
});

test('src/vscode may import vscode and every core layer', async () => {
  const code =
    "import * as vscode from 'vscode';\nimport { parseReference } from '../../oci';\nimport { validateYaml } from '../../gitops/engine';\nexport const all = [vscode, parseReference, validateYaml];\n";
  assert.deepEqual(await layerFindings('src/vscode/commands/example.ts', code), []);
});

test('an upward import between core floors is refused, static, re-exported or dynamic', async () => {
  const upward = await layerFindings(
    'src/oci/auth/example.ts',
    "import { packFolder } from '../../artifact/pack';\nexport const p = packFolder;\n",
  );
  assert.deepEqual(upward, [
    'layers/direction: src/oci may not import src/artifact (../../artifact/pack): src/oci may use only src/text. Move the shared code down a layer or call it from the layer above.',
  ]);
  assert.equal((await layerFindings('src/artifact/example.ts', "export * from '../gitops/engine';\n")).length, 1);
  assert.equal((await layerFindings('src/gitops/live/example.ts', "export const run = () => import('../../cli/run');\n")).length, 1);
  assert.equal(
    (await layerFindings('src/text/example.ts', "import { OciError } from '../oci/errors';\nexport const e = OciError;\n")).length,
    1,
  );
});

test('the two adapters do not import each other', async () => {
  assert.equal((await layerFindings('src/vscode/example.ts', "import { run } from '../cli/run';\nexport const r = run;\n")).length, 1);
  assert.equal(
    (await layerFindings('src/cli/example.ts', "import { activate } from '../vscode/extension';\nexport const a = activate;\n")).length,
    1,
  );
});

test('imports within a folder, downward, and of packages pass', async () => {
  const code =
    "import { parse } from 'yaml';\nimport { formatBytes } from '../text/format';\nimport { pull } from './pull';\nexport const all = [parse, formatBytes, pull];\n";
  assert.deepEqual(await layerFindings('src/artifact/example.ts', code), []);
});

test('every folder of src/ has its place in the layer table, so a new folder is not left unruled', async () => {
  const { LAYERS } = await layers();
  const folders = readdirSync(join(root, 'src')).filter((name) => statSync(join(root, 'src', name)).isDirectory());
  assert.deepEqual(folders.sort(), Object.keys(LAYERS).sort());
});
