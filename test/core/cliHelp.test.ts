// The help is generated from each command's declaration (src/cli/commandLine/<name>.ts): these
// check that what a user reads covers every command and every flag a command takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/commandLine/commands';
import { flagsOf } from '../../src/cli/commandLine/flag';
import { cli } from '../support/cli';

test('oci-gitops --help lists every command with its synopsis, and points to the help of each', async () => {
  const result = await cli(['--help']);
  assert.equal(result.code, 0);
  for (const command of COMMANDS) assert.ok(result.stdout.includes(`  ${command.name} ${command.synopsis}`), command.name);
  assert.match(result.stdout, /oci-gitops <command> --help/);
  assert.equal((await cli(['help'])).stdout, result.stdout);
});

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

for (const command of COMMANDS) {
  test(`oci-gitops ${command.name} --help shows its synopsis, description, every flag with its help, and examples`, async () => {
    const result = await cli([command.name, '--help']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const text = result.stdout;
    assert.ok(text.startsWith(`Usage: oci-gitops ${command.name} ${command.synopsis}`), text.split('\n')[0]);
    // The help wraps text at word boundaries and pads columns: compare with every run of spaces as one.
    const flat = oneLine(text);
    assert.ok(flat.includes(oneLine(command.description)), 'the description');
    for (const flag of [...flagsOf(command.flags)]) {
      const spelling = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
      assert.ok(flat.includes(oneLine(`${spelling} ${flag.help}`)), `--${flag.name} with its help`);
    }
    assert.match(text, /-h, --help +Show this help/);
    assert.ok(command.examples.length > 0, 'every command has an example');
    for (const example of command.examples) assert.ok(text.includes(`  ${example.line}\n`), example.line);
  });

  test(`oci-gitops help ${command.name} prints the same as ${command.name} --help`, async () => {
    const [asked, flagged] = await Promise.all([cli(['help', command.name]), cli([command.name, '--help'])]);
    assert.equal(asked.code, 0);
    assert.equal(asked.stdout, flagged.stdout);
  });
}

test('the help of a command lists no flag it does not take', async () => {
  const text = (await cli(['keygen', '--help'])).stdout;
  assert.match(text, /--force/);
  assert.doesNotMatch(text, /--insecure|--json|--username/);
});

test('help for a command that does not exist is a usage error naming it', async () => {
  for (const args of [
    ['help', 'publish'],
    ['publish', '--help'],
  ]) {
    const result = await cli(args);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "publish"/);
    assert.equal(result.stdout, '');
  }
});

test('--help is answered before the flags are checked: a flag the command does not take still shows its help', async () => {
  const result = await cli(['tags', 'localhost:5000/fleet/app', '--json', '--help']);
  assert.equal(result.code, 0);
  assert.ok(result.stdout.startsWith('Usage: oci-gitops tags <repository>'));
});

test("a command's own exit codes are in its help and in the usage (diff: 0 equal, 1 different, 2 error)", async () => {
  const diff = COMMANDS.find((c) => c.name === 'diff')!;
  assert.ok(diff.exitCodes);
  assert.ok(oneLine((await cli(['diff', '--help'])).stdout).includes(`Exit codes: ${diff.exitCodes}.`));
  const usage = oneLine((await cli(['--help'])).stdout);
  assert.ok(usage.includes(`; diff: ${diff.exitCodes}`));
  const copy = COMMANDS.find((c) => c.name === 'copy')!;
  assert.ok(copy.exitCodes?.includes('2 usage error, or with --all-tags drift'));
  assert.ok(usage.includes(`; copy: ${copy.exitCodes}`));
  assert.ok(oneLine((await cli(['copy', '--help'])).stdout).includes(`Exit codes: ${copy.exitCodes}.`));
  assert.ok(oneLine((await cli(['tags', '--help'])).stdout).includes('Exit codes: 0 success, 1 the operation failed'));
});
