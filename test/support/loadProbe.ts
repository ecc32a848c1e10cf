// Preloaded with `node --require` into a process whose module loads a test wants to see: records the
// URL of every module Node loads (CommonJS and ES modules alike) and writes them, in load order,
// to the file named by OCI_GITOPS_LOAD_PROBE when the process exits.
import { writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';

type LoadHook = (url: string, context: object, next: (url: string, context: object) => unknown) => unknown;
const registerHooks = (nodeModule as unknown as { registerHooks?: (hooks: { load: LoadHook }) => void }).registerHooks;
if (!registerHooks) throw new Error(`The load probe needs module.registerHooks (Node 22.15 or later); this is Node ${process.version}`);

const loaded: string[] = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => {
  if (process.env.OCI_GITOPS_LOAD_PROBE) writeFileSync(process.env.OCI_GITOPS_LOAD_PROBE, JSON.stringify(loaded));
});
