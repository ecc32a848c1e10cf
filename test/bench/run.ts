// `npm run bench`: every row of issue 10's and issue 24's tables, each against its peer or floor measured in the
// same run on this machine, then the validation and push-library benchmarks. Nothing here is a
// test: a row that misses its target is reported, and the exit code says whether all were met.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { cliRows } from './cli.bench';
import { copyAllTagsRows } from './copyAllTags.bench';
import { editorRows } from './editor.bench';
import { latencyRows } from './latency.bench';
import { benchNode, printTable, type Row } from './measure';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: Row[] = [];
  if (only.length === 0 || only.includes('editor')) rows.push(...(await editorRows()));
  if (only.length === 0 || only.includes('cli')) rows.push(...(await cliRows()));
  if (only.length === 0 || only.includes('all-tags')) rows.push(...(await copyAllTagsRows()));
  if (only.length === 0 || only.includes('latency')) rows.push(...(await latencyRows()));
  printTable(`OCI GitOps benchmark (${new Date().toISOString()}, ${process.platform}, ${cpus().length} CPUs)`, rows);
  for (const script of only.length === 0 || only.includes('more') ? ['validate.bench.js', 'push.bench.js', 'copy.bench.js'] : []) {
    console.log(`\n--- ${script}`);
    const result = spawnSync(benchNode(), ['--expose-gc', join(__dirname, script)], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${script} failed`);
  }
  const missed = rows.filter((r) => !r.met).map((r) => r.measure);
  if (missed.length) console.log(`\nTargets not met: ${missed.join('; ')}`);
  process.exitCode = missed.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
