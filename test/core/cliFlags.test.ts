import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/commandLine/commands';
import { flagsOf, switchFlag, type Flag } from '../../src/cli/commandLine/flag';
import { parseCommandLine } from '../../src/cli/commandLine/parse';
import { UsageError } from '../../src/cli/usage';
import { cli } from '../support/cli';

test('a flag the command does not take is a usage error naming the flag and the command', async () => {
  const result = await cli(['tags', 'localhost:5000/fleet/app', '--json']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /tags does not take --json/);
  assert.equal(result.stdout, '');
});

test('a short flag is named by its long name when the command does not take it', () => {
  assert.throws(
    () => parseCommandLine(['pull', 'localhost:5000/fleet/app:1.0.0', 'out', '-t', 'v2']),
    (error: unknown) => error instanceof UsageError && error.message === 'pull does not take --tag',
  );
});

test('keygen, which speaks to no registry, refuses the registry options', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-keygen-'));
  const result = await cli(['keygen', dir, '--insecure']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /keygen does not take --insecure/);
});

test('the flags a command takes are accepted, and --help is taken by every command', () => {
  const parsed = parseCommandLine(['push', 'folder', 'localhost:5000/fleet/app:1.0.0', '-t', 'v1', '--force', '--insecure', '--json']);
  assert.deepEqual([parsed.options.tag, parsed.options.force, parsed.options.insecure], [['v1'], true, true]);
  assert.equal(parseCommandLine(['tags', 'localhost:5000/fleet/app', '--json', '--help']).options.help, true);
});

test('every flag a command declares is accepted by it', () => {
  for (const command of COMMANDS) {
    for (const flag of flagsOf(command.flags)) {
      // A value that reads, and a partner for the flags that need one (--username with --password-stdin).
      const sample =
        flag.name.endsWith('page-size') || flag.name.endsWith('timeout') || flag.name === 'concurrency'
          ? '10'
          : flag.name.endsWith('provider')
            ? 'aws'
            : 'k=v';
      const value = flag.type === 'boolean' ? [] : [sample];
      const partner = flag.name.endsWith('username') ? [`--${flag.name.replace('username', 'password-stdin')}`] : [];
      const withPartner = flag.name.endsWith('password-stdin') ? [`--${flag.name.replace('password-stdin', 'username')}`, 'u'] : partner;
      const parsed = parseCommandLine([command.name, `--${flag.name}`, ...value, ...withPartner]);
      assert.notDeepEqual(parsed.options[flag.name], flag.read(undefined), `${command.name} --${flag.name} was read`);
    }
  }
});

test('a flag name declared with another kind of value by a second command is refused when the command line is built', () => {
  const [first] = COMMANDS;
  const other = { ...first, name: 'other', flags: [switchFlag('page-size', 'a switch, where repos takes a number') as Flag] };
  assert.throws(() => parseCommandLine(['repos', 'localhost:5000'], [first, other]), /--page-size is declared differently/);
});
