// Node's module hooks (module.registerHooks, Node 22.15 or later) as the tests use them: to hand
// code that imports `vscode` the stand-in of test/support/fakeVscode.ts, and to see which modules
// a process loads. Hooks stay for the life of the process: each test file runs in its own.
import assert from 'node:assert/strict';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Next = (specifierOrUrl: string, context: object) => unknown;

interface ModuleHooks {
  resolve?: (specifier: string, context: object, next: Next) => unknown;
  load?: (url: string, context: object, next: Next) => unknown;
}

function registerHooks(hooks: ModuleHooks): void {
  // Not in the @types/node this project pins (it describes Node 20).
  const register = (nodeModule as unknown as { registerHooks?: (hooks: ModuleHooks) => void }).registerHooks;
  assert.ok(register, `module.registerHooks is needed (Node 22.15 or later); this is Node ${process.version}`);
  register(hooks);
}

/** From now on `vscode` is the stand-in, whether required or imported. */
export function serveFakeVscode(): void {
  const standIn = pathToFileURL(join(__dirname, 'fakeVscode.js')).href;
  registerHooks({
    resolve: (specifier, context, next) => (specifier === 'vscode' ? { url: standIn, shortCircuit: true } : next(specifier, context)),
  });
}

/** From now on the URL of every module Node loads (CommonJS and ES modules alike) is appended to `loaded`. */
export function recordModuleLoads(loaded: string[]): void {
  registerHooks({
    load: (url, context, next) => {
      loaded.push(url);
      return next(url, context);
    },
  });
}
