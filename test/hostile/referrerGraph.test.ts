import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { copyPreview, executeCopy, planCopy } from '../../src/artifact/copy';
import { digestOf, isOciError, MediaType, OciClient, parseReference, referrersTagFor, type Descriptor } from '../../src/oci';
import { cli } from '../support/cli';
import { FakeRegistry } from '../support/fakeRegistry';
import { UncheckedRegistry } from '../support/uncheckedRegistry';
import { artifactManifest, type ArtifactSpec } from '../integration/fixtures';

/**
 * Issue 19, items 2, 5 and 6: a source registry whose referrer listings loop, name themselves,
 * carry things that are not digests or descriptors, or list more referrers than a copy carries.
 * Each copy ends by itself, in a correct copy or a refusal that says what was wrong, with no
 * stack trace, and a refused copy writes nothing at the destination (a registry that checks
 * nothing and records everything).
 */
describe('referrer graphs from a hostile source', { timeout: 120_000 }, () => {
  let source: FakeRegistry;
  let destination: UncheckedRegistry;
  let client: OciClient;
  before(async () => {
    client = new OciClient();
  });
  beforeEach(async () => {
    await source?.stop();
    await destination?.stop();
    source = await new FakeRegistry().start();
    destination = await new UncheckedRegistry().start();
  });
  after(async () => {
    await client.close();
    await source?.stop();
    await destination?.stop();
  });

  /** Adds an artifact's blobs and manifest to the source; returns its descriptor. */
  const add = (spec: ArtifactSpec, tags: string[] = []): Descriptor => {
    const { bytes, blobs } = artifactManifest(spec);
    source.addBlob(Buffer.from('{}'));
    for (const blob of blobs) source.addBlob(blob);
    const digest = source.addManifest('app', bytes, MediaType.OciManifest, tags);
    return { mediaType: MediaType.OciManifest, digest, size: bytes.length, artifactType: spec.artifactType };
  };
  /** Points `tag` at an index listing `entries`, as a fallback referrers tag does. */
  const index = (tag: string, entries: Descriptor[]): void => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries }));
    source.addManifest('app', bytes, MediaType.OciIndex, [tag]);
  };
  const copy = (...more: string[]) => cli(['copy', `${source.host}/app:v1`, `${destination.host}/prod/app`, '--referrers', ...more]);
  const noTrace = (stderr: string) => assert.doesNotMatch(stderr, /unexpected error|RangeError|\n\s+at /, 'a message, not a stack trace');
  const nothingWritten = () => {
    assert.deepEqual([...destination.tags.keys()], [], 'no tag at the destination');
    assert.equal(destination.manifests.size, 0, 'no manifest at the destination');
    assert.equal(destination.commits.length, 0, 'no blob at the destination');
  };

  test('A lists B and B lists A in their fallback tags: B is copied once, the back edge is reported and not followed', async () => {
    source.referrersMode = 'absent';
    const a = add({ files: { 'app.yaml': 'a: 1\n' } }, ['v1']);
    const b = add({ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', subject: a, files: { 'b.json': '{}' } });
    index(referrersTagFor(a.digest), [b]);
    index(referrersTagFor(b.digest), [a]);
    const run = await copy();
    noTrace(run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`lists ${a.digest} as a referrer of ${b.digest}, but its subject is missing; skipped`));
    assert.equal(destination.tags.get('v1'), a.digest);
    assert.ok(destination.manifests.has(b.digest));
    const fallback = JSON.parse(destination.manifests.get(destination.tags.get(referrersTagFor(a.digest))!)!.bytes.toString());
    assert.deepEqual(
      fallback.manifests.map((d: Descriptor) => d.digest),
      [b.digest],
    );
    const reads = source.requests.filter((r) => r.method === 'GET' && r.url.includes('/manifests/')).map((r) => r.url.split('/').pop());
    assert.deepEqual(
      reads.sort(),
      [b.digest, referrersTagFor(a.digest), referrersTagFor(b.digest), 'v1'].sort(),
      'each manifest read once',
    );
  });

  test('A lists itself: the self-reference is reported and the copy completes', async () => {
    source.referrersMode = 'absent';
    const a = add({ files: { 'app.yaml': 'a: 2\n' } }, ['v1']);
    index(referrersTagFor(a.digest), [a]);
    const run = await copy('--json');
    noTrace(run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.match(JSON.parse(run.stdout).warnings.join('\n'), /as a referrer of .*, but its subject is missing; skipped/);
    assert.equal(destination.tags.get('v1'), a.digest);
    assert.equal(destination.tags.has(referrersTagFor(a.digest)), false, 'no fallback tag written for a referrer that is not one');
  });

  test("cosign tags that loop (A's .sig is B, B's .sig is A) copy each tag once and end", async () => {
    source.referrersMode = 'absent';
    const a = add({ files: { 'app.yaml': 'a: 3\n' } }, ['v1']);
    const b = add({ artifactType: 'application/vnd.dev.cosign.simplesigning.v1+json', files: { 'sig.json': '{}' } }, [
      `${referrersTagFor(a.digest)}.sig`,
    ]);
    add({ files: { 'app.yaml': 'a: 3\n' } }, [`${referrersTagFor(b.digest)}.sig`]); // A again, under B's .sig tag
    const run = await copy('--json');
    noTrace(run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(destination.tags.get('v1'), a.digest);
    assert.equal(destination.tags.get(`${referrersTagFor(a.digest)}.sig`), b.digest);
    assert.equal(destination.tags.get(`${referrersTagFor(b.digest)}.sig`), a.digest);
    const manifestPuts = destination.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
    assert.equal(manifestPuts.length, 4, 'A by digest, B under its tag, A under its tag, and v1');
  });

  test('the Copy To… preview of a looping graph counts each referrer once', async () => {
    source.referrersMode = 'absent';
    const a = add({ files: { 'app.yaml': 'a: 4\n' } }, ['v1']);
    const b = add({ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', subject: a, files: { 'b.json': '{}' } });
    index(referrersTagFor(a.digest), [b, a]);
    index(referrersTagFor(b.digest), [a, b]);
    const plan = await planCopy(client.repository(parseReference(`${source.host}/app`)), 'v1', { referrers: true });
    const preview = copyPreview(plan, { registry: destination.host, repository: 'prod/app' }, [{ tag: 'v1' }], []);
    assert.equal(preview.referrers, 1);
    assert.equal(plan.summary.totalManifests, 2);
    assert.equal(plan.warnings.length, 3, plan.warnings.join('\n'));
  });

  const wrongShapes: { name: string; entry: (a: Descriptor) => object; problem: RegExp }[] = [
    {
      name: 'a path that climbs to another repository',
      entry: (a) => ({ ...a, digest: '../../../other/secret/manifests/latest?x=' }),
      problem: /digest "\.\.\/\.\.\/\.\.\/other\/secret\/manifests\/latest\?x=" is not a sha256 or sha512 digest/,
    },
    { name: 'a tag', entry: (a) => ({ ...a, digest: 'latest' }), problem: /digest "latest" is not a sha256 or sha512 digest/ },
    { name: 'a number', entry: (a) => ({ ...a, digest: 7 }), problem: /digest is number 7, not a digest/ },
    {
      name: 'an object artifactType',
      entry: (a) => ({ ...a, artifactType: { toString: 1 } }),
      problem: /has an artifactType of an object, not a string/,
    },
    { name: 'a size that is text', entry: (a) => ({ ...a, size: '12' }), problem: /has a size of "12", not a byte count/ },
    {
      name: 'annotations that are not strings',
      entry: (a) => ({ ...a, annotations: { n: 1 } }),
      problem: /has annotations that are not all strings/,
    },
  ];
  for (const shape of wrongShapes) {
    test(`a referrers-API entry whose digest or field is ${shape.name} is refused: nothing requested with it, printed or copied`, async () => {
      const a = add({ files: { 'app.yaml': 'a: 5\n' } }, ['v1']);
      const referrer = add({ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', subject: a, files: { 'r.json': '{}' } });
      source.addReferrer(a.digest, shape.entry(referrer));
      const run = await copy();
      noTrace(run.stderr);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`lists the referrers of ${a.digest} wrongly \\(the referrers API\\)`));
      assert.match(run.stderr, shape.problem);
      nothingWritten();
      const inspect = await cli(['inspect', `${source.host}/app:v1`]);
      noTrace(inspect.stderr);
      assert.equal(inspect.code, 1);
      assert.match(inspect.stderr, shape.problem);
      assert.doesNotMatch(inspect.stdout, /secret|latest/);
      const paths = source.requests.map((r) => r.url);
      assert.ok(
        paths.every((p) => !p.includes('secret') && !p.endsWith('/manifests/latest') && !p.includes('..')),
        paths.join('\n'),
      );
    });
  }

  test('10,004 referrers are refused from their listing, before any of them is fetched, with what was too large and what to do', async () => {
    const a = add({ files: { 'app.yaml': 'a: 6\n' } }, ['v1']);
    for (let i = 0; i < 10_004; i++) {
      const digest = digestOf(Buffer.from(`referrer ${i}`));
      source.addReferrer(a.digest, { mediaType: MediaType.OciManifest, digest, size: 500, artifactType: 'application/example' });
    }
    const run = await copy();
    noTrace(run.stderr);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`${source.host}/app:v1 with what refers to it is too large to copy: .*lists more than 9999 referrers of ${a.digest}`),
    );
    assert.match(run.stderr, /without --referrers/);
    const fetchedByDigest = source.requests.filter((r) => r.method === 'GET' && /\/manifests\/sha256:/.test(r.url));
    assert.equal(fetchedByDigest.length, 0, 'no referrer manifest was fetched');
    nothingWritten();
  });

  test('reading the graph stops at its deadline when the source stops answering, with a TIMEOUT that says what it read', async () => {
    add({ files: { 'app.yaml': 'a: 7\n' } }, ['v1']);
    source.fail('GET /v2/app/referrers/', { kind: 'hang', times: 10 });
    const started = Date.now();
    await assert.rejects(
      planCopy(client.repository(parseReference(`${source.host}/app`)), 'v1', { referrers: true, limits: { ms: 500 } }),
      (error) =>
        isOciError(error, 'TIMEOUT') &&
        /with what refers to it did not finish within 0\.5 s \(manifests read so far: 1\)/.test(error.message),
    );
    assert.ok(Date.now() - started < 5_000, `stopped after ${Date.now() - started} ms`);
  });

  test('the whole copy stops at its deadline when the source stops sending a blob: TIMEOUT, no tag, nothing committed', async () => {
    add({ files: { 'app.yaml': 'a: 8\n' } }, ['v1']);
    const plan = await planCopy(client.repository(parseReference(`${source.host}/app`)), 'v1');
    source.fail('GET /v2/app/blobs/', { kind: 'hang', times: 10 });
    const started = Date.now();
    await assert.rejects(
      executeCopy(plan, client.repository(parseReference(`${destination.host}/prod/app`)), { tags: ['v1'], deadlineMs: 500 }),
      (error) => isOciError(error, 'TIMEOUT') && /did not finish within 0\.5 s; stopped, and no tag was set/.test(error.message),
    );
    assert.ok(Date.now() - started < 5_000, `stopped after ${Date.now() - started} ms`);
    nothingWritten();
    // The other blob's upload may still be being cancelled when the first failure ends the copy.
    for (let waited = 0; destination.sessions.size > 0 && waited < 2_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(destination.sessions.size, 0, 'every upload session was deleted');
  });
});
