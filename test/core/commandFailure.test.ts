import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failure, guarded, SHOW_LOG, type FailureReport } from '../../src/vscode/commandWrapper/commandFailure';
import { OciError } from '../../src/oci';

/** A report that records what a person would see, and answers the notification with `choice`. */
function recorder(choice?: string) {
  const seen = { errors: [] as string[], debug: [] as string[], notifications: [] as { message: string; actions: string[] }[], shown: 0 };
  const report: FailureReport = {
    log: {
      error: (line: string) => void seen.errors.push(line),
      debug: (line: string) => void seen.debug.push(line),
      show: () => void seen.shown++,
    },
    showError: async (message, ...actions) => {
      seen.notifications.push({ message, actions });
      return choice;
    },
  };
  return { report, seen };
}

test('a command that fails logs one error line naming the command and shows the message with Show Log', async () => {
  const { report, seen } = recorder();
  const run = guarded('ociGitops.deleteTag', () => Promise.reject(new Error('HTTP 405 on localhost:5000')), report);
  assert.equal(await run(), undefined);
  assert.deepEqual(seen.errors, ['ociGitops.deleteTag failed: HTTP 405 on localhost:5000']);
  assert.deepEqual(seen.notifications, [{ message: 'HTTP 405 on localhost:5000', actions: [SHOW_LOG] }]);
});

test('choosing Show Log reveals the log', async () => {
  const { report, seen } = recorder(SHOW_LOG);
  await guarded(
    'ociGitops.refresh',
    () => {
      throw new Error('boom');
    },
    report,
  )();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(seen.shown, 1);
});

test('a cancelled command is silent: no notification and no error line', async () => {
  for (const cancelled of [
    new OciError('CANCELLED', 'The push was cancelled'),
    Object.assign(new Error('Canceled'), { name: 'Canceled' }),
    new DOMException('aborted', 'AbortError'),
  ]) {
    const { report, seen } = recorder();
    await guarded('ociGitops.pushFolder', () => Promise.reject(cancelled), report)();
    assert.deepEqual(seen.notifications, []);
    assert.deepEqual(seen.errors, []);
    assert.equal(seen.debug.length, 1);
  }
});

test('a command that succeeds returns its result and reports nothing', async () => {
  const { report, seen } = recorder();
  assert.equal(await guarded('ociGitops.copyText', (text: string) => `copied ${text}`, report)('x'), 'copied x');
  assert.deepEqual([seen.errors, seen.notifications], [[], []]);
});

test('a failure a command throws with its context reaches the notification as "what: why", once', async () => {
  const { report, seen } = recorder();
  const cause = new OciError('NAME_UNKNOWN', 'repository apps/podinfo is not known to localhost:5000');
  const run = guarded(
    'ociGitops.createFluxYaml',
    async () => {
      try {
        await Promise.reject(cause);
      } catch (error) {
        throw failure('Could not resolve localhost:5000/apps/podinfo:1.0.0', error);
      }
    },
    report,
  );
  await run();
  assert.deepEqual(seen.notifications, [
    {
      message: 'Could not resolve localhost:5000/apps/podinfo:1.0.0: repository apps/podinfo is not known to localhost:5000',
      actions: [SHOW_LOG],
    },
  ]);
  assert.equal(seen.errors.length, 1);
});

test('a cancellation wrapped as a failure stays a cancellation: silent', async () => {
  const { report, seen } = recorder();
  const cancelled = new OciError('CANCELLED', 'cancelled');
  assert.equal(failure('Could not sign x', cancelled), cancelled);
  await guarded(
    'ociGitops.sign',
    () => {
      throw failure('Could not sign x', cancelled);
    },
    report,
  )();
  assert.deepEqual(seen.notifications, []);
  assert.deepEqual(seen.errors, []);
});
