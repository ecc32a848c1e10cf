// `node out/test/bench/copyReferrers.bench.js [N…]`: `copy --referrers` of an artifact with N
// referrers (one subject, as a signing pipeline that re-signs on every run leaves them) from one
// Distribution to another; neither has the referrers API, so the destination's fallback tag index
// is what records them. Prints, per N, the copy's wall time, the growth of peak resident memory,
// and the requests each registry served (from their access logs). Issue 19, item 6.
import { digestOf, MediaType, OciClient, parseReference, referrersTagFor, type Descriptor, type RepositoryApi } from '../../src/oci';
import { copyArtifact } from '../../src/artifact/copy';
import { pushManifest } from '../../src/oci/registry/manifests';
import { startRegistry } from '../support/registry';
import { artifactManifest, pushArtifact } from '../integration/fixtures';

/**
 * Pushes the artifact `v1` and `count` referrers of it, then their fallback index once: setting up
 * must not cost n² itself. Distribution refuses an index naming manifests it lacks, so each
 * referrer exists; they share their blobs.
 */
async function pushSubjectWithReferrers(source: RepositoryApi, count: number): Promise<Descriptor> {
  const subject = await pushArtifact(source, 'v1', { files: { 'app.yaml': 'replicas: 1\n' } });
  await pushArtifact(source, undefined, { files: { 'sig.json': '{}' } });
  const entries: Descriptor[] = [];
  for (let i = 0; i < count; i++) {
    const { bytes } = artifactManifest({
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      subject,
      files: { 'sig.json': '{}' },
      annotations: { 'bench.run': String(i) },
    });
    await pushManifest(source, bytes, MediaType.OciManifest, digestOf(bytes));
    entries.push({
      mediaType: MediaType.OciManifest,
      digest: digestOf(bytes),
      size: bytes.length,
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries }));
  await pushManifest(source, index, MediaType.OciIndex, referrersTagFor(subject.digest));
  return subject;
}

async function measure(count: number): Promise<string> {
  const [staging, production] = await Promise.all([startRegistry({ accessLog: true }), startRegistry({ accessLog: true })]);
  const client = new OciClient();
  try {
    const source = client.repository(parseReference(`${staging.host}/bench/app`));
    const subject = await pushSubjectWithReferrers(source, count);
    const before = { staging: staging.requests().length, production: production.requests().length };
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const destination = client.repository(parseReference(`${production.host}/bench/app`));
    const { result } = await copyArtifact(source, 'v1', destination, { referrers: true, tags: ['v1'] });
    const ms = performance.now() - started;
    if (result.failures.length > 0 || result.referrers.copied !== count) throw new Error(`copy incomplete: ${JSON.stringify(result)}`);
    const served = (all: string[], from: number) => all.slice(from);
    const productionRequests = served(production.requests(), before.production);
    const sourceRequests = served(staging.requests(), before.staging);
    const listed = await destination.referrers(subject.digest);
    if (listed.length !== count) throw new Error(`the destination lists ${listed.length} referrers, not ${count}`);
    const indexPuts = productionRequests.filter((r) => r.startsWith(`PUT /v2/bench/app/manifests/${referrersTagFor(subject.digest)}`));
    return [
      `N=${count}`,
      `${(ms / 1000).toFixed(1)} s`,
      `peak RSS +${Math.round((process.resourceUsage().maxRSS - rssBefore) / 1024)} MB`,
      `source requests ${sourceRequests.length}`,
      `destination requests ${productionRequests.length}`,
      `fallback index writes ${indexPuts.length}`,
    ].join(', ');
  } finally {
    await client.close();
    await staging.stop();
    await production.stop();
  }
}

/**
 * A subject whose fallback index lists `count` referrers (over the copy's limit of 10,000): a
 * copy must refuse from the listing alone, fetching none of them. Prints how long the refusal
 * took, the memory it grew by, and the requests the source served.
 */
async function measureCap(count: number): Promise<string> {
  const staging = await startRegistry({ accessLog: true });
  const client = new OciClient();
  try {
    const source = client.repository(parseReference(`${staging.host}/bench/app`));
    await pushSubjectWithReferrers(source, count);
    const before = staging.requests().length;
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const destination = client.repository(parseReference(`${staging.host}/bench/copy`));
    const outcome = await copyArtifact(source, 'v1', destination, { referrers: true, tags: ['v1'] }).then(
      () => 'copied',
      (error: Error) => error.message.split('. ')[0],
    );
    const refused = performance.now() - started;
    // Requests already queued may still go out after the refusal (a CLI waits for them before it
    // exits): the work ends when the source has heard nothing for two seconds.
    let served = staging.requests().length;
    let quietSince = performance.now();
    while (performance.now() - quietSince < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (staging.requests().length !== served) [served, quietSince] = [staging.requests().length, performance.now()];
    }
    return [
      `cap N=${count}`,
      `refused after ${refused.toFixed(0)} ms`,
      `last source request after ${(quietSince - started).toFixed(0)} ms`,
      `peak RSS +${Math.round((process.resourceUsage().maxRSS - rssBefore) / 1024)} MB`,
      `source requests ${served - before}`,
      outcome,
    ].join(', ');
  } finally {
    await client.close();
    await staging.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'cap') return void console.log(await measureCap(Number(process.argv[3] ?? 10_004)));
  const counts = process.argv.slice(2).map(Number);
  for (const count of counts.length > 0 ? counts : [300, 1000, 3000]) console.log(await measure(count));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
