// Preloaded with `node --require` into a process whose module loads a test wants to see: records the
// URL of every module Node loads (CommonJS and ES modules alike) and writes them, in load order,
// to the file named by OCI_GITOPS_LOAD_PROBE when the process exits.
import { writeFileSync } from 'node:fs';
import { recordModuleLoads } from './moduleHooks';

const loaded: string[] = [];
recordModuleLoads(loaded);
process.on('exit', () => {
  if (process.env.OCI_GITOPS_LOAD_PROBE) writeFileSync(process.env.OCI_GITOPS_LOAD_PROBE, JSON.stringify(loaded));
});
