import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMAND_FLAGS } from '../../src/cli/commandFlags';
import { OPTIONS, parseCommandLine } from '../../src/cli/options';
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
  assert.deepEqual([parsed.options.tags, parsed.options.force, parsed.options.insecure], [['v1'], true, true]);
  assert.equal(parseCommandLine(['tags', 'localhost:5000/fleet/app', '--json', '--help']).options.help, true);
});

test('every flag the table lists is a flag the command line knows', () => {
  const known = new Set<string>();
  for (const flags of Object.values(COMMAND_FLAGS)) for (const flag of flags) known.add(flag);
  for (const flag of known) {
    const command = Object.keys(COMMAND_FLAGS).find((c) => COMMAND_FLAGS[c].includes(flag))!;
    const value = ['insecure', 'json', 'force', 'live', 'keyless', 'referrers', 'resolve-symlinks', 'password-stdin'].some(
      (b) => flag === b || flag.endsWith(`-${b}`),
    )
      ? []
      : ['1'];
    // An unknown flag would be refused by the parser itself ("Unknown option"), not by the table.
    try {
      parseCommandLine([command, `--${flag}`, ...value]);
    } catch (error) {
      assert.ok(!/Unknown option|does not take/.test((error as Error).message), `--${flag}: ${(error as Error).message}`);
    }
  }
});

test('every flag of the command line is taken by at least one command', () => {
  const taken = new Set(['help', ...Object.values(COMMAND_FLAGS).flat()]);
  assert.deepEqual(
    Object.keys(OPTIONS).filter((flag) => !taken.has(flag)),
    [],
  );
});
