import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderError, type CloudProvider, type ProviderName, type RegistryLogin } from '../../src/cloud/provider';
import { ProviderCredentials, type ProviderChoice } from '../../src/cloud/providerCredentials';
import { isOciError } from '../../src/oci';

/** A provider that counts its sign-ins and answers each host with its own numbered password. */
function countingProvider(lifetimeMs: number | undefined, now: () => number) {
  const calls: string[] = [];
  const provider: CloudProvider = {
    name: 'aws',
    displayName: 'AWS (Amazon ECR)',
    async login(registry: string): Promise<RegistryLogin> {
      calls.push(registry);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        credential: { username: 'AWS', password: `${registry}#${calls.length}` },
        expiresAt: lifetimeMs === undefined ? undefined : new Date(now() + lifetimeMs),
      };
    },
  };
  return { provider, calls };
}

function credentialsFor(provider: CloudProvider, clock: { now: number }, choice: ProviderChoice = { provider: 'aws', chosen: true }) {
  return new ProviderCredentials({
    choose: (registry) => (registry.endsWith('.example') ? undefined : choice),
    load: async (name: ProviderName) => {
      assert.equal(name, choice.provider);
      return provider;
    },
    now: () => clock.now,
  });
}

describe('cloud sign-in credentials', () => {
  test('a login is reused until shortly before it expires, then renewed', async () => {
    const clock = { now: 1_000_000 };
    const { provider, calls } = countingProvider(12 * 3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    const first = await credentials.get('a.registry');
    clock.now += 12 * 3600_000 - 6 * 60_000; // six minutes before expiry: still good
    assert.deepEqual(await credentials.get('a.registry'), first);
    clock.now += 2 * 60_000; // four minutes before: inside the five-minute margin
    assert.notDeepEqual(await credentials.get('a.registry'), first);
    assert.equal(calls.length, 2);
  });

  test('a short-lived login is renewed a tenth of its life before it expires', async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(10_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    await credentials.get('a.registry');
    clock.now = 8_900;
    await credentials.get('a.registry');
    clock.now = 9_100;
    await credentials.get('a.registry');
    assert.equal(calls.length, 2);
  });

  test('a login without an expiry is renewed after ten minutes', async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(undefined, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    await credentials.get('a.registry');
    clock.now = 9 * 60_000;
    await credentials.get('a.registry');
    clock.now = 10 * 60_000 + 1;
    await credentials.get('a.registry');
    assert.equal(calls.length, 2);
  });

  test('concurrent callers share one sign-in', async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    const all = await Promise.all(Array.from({ length: 20 }, () => credentials.get('a.registry')));
    assert.equal(calls.length, 1);
    assert.ok(all.every((credential) => credential?.password === 'a.registry#1'));
  });

  test("each host gets its own login, and never another host's", async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    const [a, b] = await Promise.all([credentials.get('a.registry'), credentials.get('b.registry')]);
    assert.match(a?.password ?? '', /^a\.registry#/);
    assert.match(b?.password ?? '', /^b\.registry#/);
    assert.deepEqual(calls.sort(), ['a.registry', 'b.registry']);
    assert.equal(await credentials.get('other.example'), undefined, 'a host without a provider gets nothing');
  });

  test('a login the registry refused is renewed on the next get; a stale refusal does not drop a newer login', async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    const first = (await credentials.get('a.registry'))!;
    credentials.invalidate('a.registry', first);
    const second = (await credentials.get('a.registry'))!;
    assert.notDeepEqual(second, first);
    credentials.invalidate('a.registry', first);
    assert.deepEqual(await credentials.get('a.registry'), second);
    assert.equal(calls.length, 2);
  });

  test('a forgotten registry signs in afresh (the user changed its provider or signed out)', async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    await credentials.get('a.registry');
    await credentials.get('b.registry');
    credentials.forget('a.registry');
    await credentials.get('a.registry');
    await credentials.get('b.registry');
    assert.deepEqual(calls, ['a.registry', 'b.registry', 'a.registry']);
  });

  test('a chosen provider that fails names itself, the step and the fix', async () => {
    const failing: CloudProvider = {
      name: 'aws',
      displayName: 'AWS (Amazon ECR)',
      login: () =>
        Promise.reject(
          new ProviderError('aws', 'credentials', 'the SSO session for profile dev has expired', 'Run `aws sso login --profile dev`'),
        ),
    };
    const credentials = credentialsFor(failing, { now: 0 });
    await assert.rejects(credentials.get('a.registry'), (error) => {
      assert.ok(isOciError(error, 'CREDENTIALS'));
      assert.equal(
        error.message,
        'AWS sign-in failed getting credentials for a.registry: the SSO session for profile dev has expired. Run `aws sso login --profile dev`',
      );
      return true;
    });
  });

  test('a recognised provider that fails leaves the registry anonymous, with a warning, and is not asked again at once', async () => {
    let attempts = 0;
    const failing: CloudProvider = {
      name: 'gcp',
      displayName: 'Google Cloud',
      login: () => {
        attempts++;
        return Promise.reject(
          new ProviderError('gcp', 'credentials', 'no Application Default Credentials', 'Run `gcloud auth application-default login`'),
        );
      },
    };
    const warnings: string[] = [];
    const credentials = new ProviderCredentials({
      choose: () => ({ provider: 'gcp', chosen: false }),
      load: async () => failing,
      warn: (message) => warnings.push(message),
      now: () => 0,
    });
    assert.equal(await credentials.get('gcr.io'), undefined);
    assert.equal(await credentials.get('gcr.io'), undefined);
    assert.equal(attempts, 1);
    assert.deepEqual(warnings, [
      'Google Cloud sign-in failed getting credentials for gcr.io: no Application Default Credentials. Run `gcloud auth application-default login` (trying gcr.io without a cloud sign-in)',
    ]);
  });

  test("one caller's cancellation does not cancel the sign-in the others wait for", async () => {
    const clock = { now: 0 };
    const { provider, calls } = countingProvider(3600_000, () => clock.now);
    const credentials = credentialsFor(provider, clock);
    const cancelled = new AbortController();
    const first = credentials.get('a.registry', cancelled.signal);
    const second = credentials.get('a.registry');
    cancelled.abort(new Error('cancelled by the user'));
    await assert.rejects(first, /cancelled by the user/);
    assert.equal((await second)?.password, 'a.registry#1');
    assert.equal(calls.length, 1);
  });
});
