import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { HostileServer, json } from '../support/hostileServer';
import { runBundledCli } from '../support/hostileArtifacts';

/**
 * Issue 15, cases 5 and 6, against a misbehaving server on loopback (127.0.0.1 for the registry,
 * 127.0.0.2 for "another host"), driving the bundled CLI. Every run is bounded.
 */
describe("credentials go only to the registry's own token service", { timeout: 60_000 }, () => {
  let registry: HostileServer;
  let realm: HostileServer;
  before(async () => {
    realm = await new HostileServer((_req, res) => json(res, 200, { token: 'issued-token', expires_in: 300 }), '127.0.0.2').start();
    registry = await new HostileServer((req, res, url) => {
      if (req.headers.authorization !== 'Bearer issued-token') {
        json(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          { 'www-authenticate': `Bearer realm="http://${realm.host}/token",service="hostile",scope="repository:app:pull"` },
        );
        return;
      }
      if (url.pathname === '/v2/app/tags/list') json(res, 200, { name: 'app', tags: ['1.0.0'] });
      else json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'no' }] });
    }).start();
  });
  after(async () => {
    await registry?.stop();
    await realm?.stop();
  });
  afterEach(() => {
    realm.requests.length = 0;
  });

  test('a realm on another host never receives the Basic credentials, and the refusal names both hosts and the way to allow it', async () => {
    const run = await runBundledCli(['tags', `${registry.host}/app`, '--username', 'alice', '--password-stdin'], { input: 's3cret\n' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `Refusing to send the credentials for ${registry.host} to ${realm.host}: the registry named a token service .* on another host`,
      ),
    );
    assert.match(run.stderr, new RegExp(`--allow-token-realm ${realm.host}`));
    assert.match(run.stderr, /ociGitops\.auth\.allowedTokenRealms/);
    assert.equal(realm.requests.length, 0, 'the realm was not even asked');
  });

  test('an allowed realm receives them and the listing works', async () => {
    const run = await runBundledCli(
      ['tags', `${registry.host}/app`, '--username', 'alice', '--password-stdin', '--allow-token-realm', realm.host],
      { input: 's3cret\n' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), '1.0.0');
    assert.equal(realm.requests[0]?.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  });

  test('without credentials an anonymous token is fetched from any realm (no secret travels)', async () => {
    const run = await runBundledCli(['tags', `${registry.host}/app`], { env: { ...process.env, DOCKER_CONFIG: '/nonexistent' } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(realm.requests.length, 1);
    assert.equal(realm.requests[0].headers.authorization, undefined);
  });
});

describe('every wait is bounded, and says how long it waited', { timeout: 90_000 }, () => {
  let server: HostileServer;
  before(async () => {
    server = await new HostileServer((_req, res) => json(res, 404, {})).start();
  });
  after(async () => server?.stop());

  test('a server that drips one byte a second (never silent for the 2 s timeout) is stopped by the 6 s request deadline', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '100000' });
      res.write('{');
      const timer = server.every(1000, () => res.write(' '));
      res.on('close', () => clearInterval(timer));
    });
    const run = await runBundledCli(['inspect', `${server.host}/app:1.0.0`, '--timeout', '2'], { timeoutMs: 30_000 });
    assert.equal(run.timedOut, false);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /Could not fetch manifest 1\.0\.0 on .*: no complete answer within 6(\.\d)? s \(1 attempt; the limit is 6 s for a request, three times the 2 s timeout\)/,
    );
    assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
  });

  test('a silent server fails within the deadline, and the message gives the attempts and the total time', async () => {
    server.handle(() => undefined);
    const run = await runBundledCli(['inspect', `${server.host}/app:1.0.0`, '--timeout', '2'], { timeoutMs: 30_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /(did not answer: \d attempts over [\d.]+ s, each waiting up to 2 s|no complete answer within 6(\.\d)? s \(\d attempts)/,
    );
    assert.ok(run.ms >= 3_500 && run.ms < 15_000, `took ${run.ms} ms`);
  });

  test('a registry that keeps failing says how often it was asked, and for how long', async () => {
    server.handle((_req, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'down for maintenance' }] }));
    const run = await runBundledCli(['tags', `${server.host}/app`], { timeoutMs: 30_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /Could not list tags on .*\/app \(HTTP 503 SERVER_ERROR, after 4 attempts over [\d.]+ s\): down for maintenance/,
    );
  });

  test('a tag list that invents a new page every time is stopped at the page cap with a message', async () => {
    let page = 0;
    server.handle((_req, res, url) => {
      if (url.pathname !== '/v2/app/tags/list') return json(res, 404, {});
      page++;
      json(res, 200, { name: 'app', tags: [`t${page}a`, `t${page}b`] }, { link: `</v2/app/tags/list?n=2&last=t${page}b>; rel="next"` });
    });
    const run = await runBundledCli(['tags', `${server.host}/app`, '--page-size', '2'], { timeoutMs: 60_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /kept sending more pages of the tags of .*\/app: stopped after 1000 pages \(2000 items\); the listing looks endless/,
    );
    assert.equal(page, 1000);
  });

  test('an endless catalog is stopped the same way', async () => {
    let page = 0;
    server.handle((_req, res, url) => {
      if (url.pathname !== '/v2/_catalog') return json(res, 404, {});
      page++;
      json(res, 200, { repositories: [`r${page}`] }, { link: `</v2/_catalog?n=1&last=r${page}>; rel="next"` });
    });
    const run = await runBundledCli(['repos', server.host, '--page-size', '1'], { timeoutMs: 60_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /stopped after 1000 pages/);
  });

  test('a listing slower than its deadline is stopped with the pages it got so far', async () => {
    let page = 0;
    server.handle((_req, res, url) => {
      page++;
      setTimeout(
        () => json(res, 200, { name: 'app', tags: [`t${page}`] }, { link: `</v2/app/tags/list?n=1&last=t${page}>; rel="next"` }),
        250,
      );
      void url;
    });
    const run = await runBundledCli(['tags', `${server.host}/app`, '--page-size', '1', '--timeout', '1'], { timeoutMs: 40_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Listing the tags of .* did not finish within 10 s \(\d+ pages, \d+ items so far\); stopped/);
    assert.ok(run.ms < 20_000, `took ${run.ms} ms`);
  });
});
