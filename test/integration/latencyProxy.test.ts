import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OciClient, StaticCredentials, parseReference } from '../../src/oci';
import { LatencyProxy } from '../support/latencyProxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { pushArtifact } from './fixtures';

describe('the latency proxy in front of a real Distribution', () => {
  let registry: RunningRegistry;
  let proxy: LatencyProxy;
  let client: OciClient;

  before(async () => {
    registry = await startRegistry({ auth: 'token' });
    proxy = await new LatencyProxy(registry.host, { delayMs: 50, tokenRealm: registry.tokenServer!.url }).start();
    client = new OciClient({ credentials: new StaticCredentials(proxy.host, registry.admin) });
  });
  after(async () => {
    await client?.close();
    await proxy?.stop();
    await registry?.stop();
  });

  test('holds every request for the delay and records it, token requests included', async () => {
    const repo = client.repository(parseReference(`${proxy.host}/team/app`));
    await pushArtifact(repo, 'v1', { files: { 'a.yaml': 'a: 1\n' } });
    assert.ok(proxy.count((r) => r.upstream === 'token') >= 1, 'the token realm was rewritten to pass through the proxy');
    proxy.reset();
    await repo.fetchManifest('v1');
    assert.deepEqual(
      proxy.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /v2/team/app/manifests/v1 200'],
    );
    const [only] = proxy.requests;
    assert.ok(only.end - only.start >= 50, `the request took ${only.end - only.start} ms through a 50 ms proxy`);
    assert.equal(proxy.dependentRounds(), 1);
  });
});
