import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseChallenges } from '../../src/oci/auth/challenge';
import { mergeScopes, parseScope } from '../../src/oci/auth/scope';
import { TokenCache } from '../../src/oci/auth/tokenCache';
import { nextLink } from '../../src/oci/transport/linkHeader';
import { parseRetryAfter } from '../../src/oci/transport/retry';
import { parseRange } from '../../src/oci/registry/upload';

describe('WWW-Authenticate challenges', () => {
  test('a Bearer challenge yields realm, service and scope', () => {
    const [c] = parseChallenges(
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/app:pull,push"',
    );
    assert.equal(c.scheme, 'bearer');
    assert.deepEqual(c.params, {
      realm: 'https://auth.example.com/token',
      service: 'registry.example.com',
      scope: 'repository:org/app:pull,push',
    });
  });

  test("Harbor's bare Basic challenge parses", () => {
    assert.deepEqual(parseChallenges('Basic realm="harbor"'), [{ scheme: 'basic', params: { realm: 'harbor' } }]);
  });

  test('a Bearer challenge without scope and with unquoted values parses', () => {
    assert.deepEqual(parseChallenges('Bearer realm=https://t.example/token, service=reg'), [
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg' } },
    ]);
  });

  test('several challenges in one header are all returned', () => {
    const challenges = parseChallenges('Basic realm="x", Bearer realm="https://t/token",service="s"');
    assert.deepEqual(
      challenges.map((c) => c.scheme),
      ['basic', 'bearer'],
    );
  });
});

describe('token scopes', () => {
  test('a resource name may contain a port', () => {
    assert.deepEqual(parseScope('repository:localhost:5000/app:pull,push'), {
      type: 'repository',
      name: 'localhost:5000/app',
      actions: ['pull', 'push'],
    });
  });

  test('scopes for the same resource are merged and sorted', () => {
    assert.deepEqual(mergeScopes(['repository:b:push', 'repository:a:pull', 'repository:b:pull']), [
      'repository:a:pull',
      'repository:b:pull,push',
    ]);
  });
});

describe('token cache', () => {
  test('a token is dropped before it expires', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('r|k', 'tok', 60);
    now = 45_000;
    assert.equal(cache.get('r|k'), 'tok');
    now = 55_000;
    assert.equal(cache.get('r|k'), undefined);
  });
});

describe('pagination and retry headers', () => {
  test('Link rel="next" is found among other links', () => {
    assert.equal(nextLink('</v2/_catalog?last=b&n=2>; rel="next"'), '/v2/_catalog?last=b&n=2');
    assert.equal(nextLink('<https://x/prev>; rel="prev", <https://x/next>; rel=next'), 'https://x/next');
    assert.equal(nextLink('<https://x/prev>; rel="prev"'), undefined);
  });

  test('Retry-After is seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  test('upload Range headers are read in both OCI and Docker forms', () => {
    assert.equal(parseRange('0-1023'), 1023);
    assert.equal(parseRange('bytes=0-99'), 99);
    assert.equal(parseRange(undefined), undefined);
  });
});
