import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaType, type OciClient, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import type { RunningRegistry } from './registry';

/**
 * Tags as a busy release pipeline leaves them: semantic versions across minors (1.9.0 sorts before
 * 1.10.0 by version, after it by name), pre-releases, build ids and a few moving tags.
 */
export function manyTagNames(count: number): string[] {
  const names: string[] = ['latest', 'main', 'stable'];
  for (let i = 0; names.length < count; i++) {
    const minor = Math.floor(i / 40);
    const patch = i % 40;
    names.push(`1.${minor}.${patch}`);
    if (i % 10 === 0 && names.length < count) names.push(`1.${minor}.${patch}-rc.1`);
    if (i % 25 === 0 && names.length < count) names.push(`main-${(0x1000000 + i * 7919).toString(16)}`);
  }
  return names.slice(0, count);
}

/**
 * A repository of `count` tags on a Distribution registry. One artifact is pushed through the API;
 * the other tags are written into the registry's storage as Distribution itself lays them out
 * (`_manifests/tags/<tag>/current/link` and `index/sha256/<hex>/link`), since ten thousand
 * manifest PUTs would make the benchmark's set-up longer than the benchmark.
 */
export async function seedManyTags(client: OciClient, registry: RunningRegistry, repository: string, tags: string[]): Promise<string> {
  const descriptor = await pushArtifact(client.repository(parseReference(`${registry.host}/${repository}`)), tags[0], {
    files: { 'app.yaml': 'replicas: 1\n' },
  });
  if (descriptor.mediaType !== MediaType.OciManifest) throw new Error(`unexpected manifest media type ${descriptor.mediaType}`);
  const hex = descriptor.digest.slice('sha256:'.length);
  const tagsDir = join(registry.dataDir, 'docker', 'registry', 'v2', 'repositories', repository, '_manifests', 'tags');
  for (const tag of tags.slice(1)) {
    mkdirSync(join(tagsDir, tag, 'current'), { recursive: true });
    mkdirSync(join(tagsDir, tag, 'index', 'sha256', hex), { recursive: true });
    writeFileSync(join(tagsDir, tag, 'current', 'link'), descriptor.digest);
    writeFileSync(join(tagsDir, tag, 'index', 'sha256', hex, 'link'), descriptor.digest);
  }
  return descriptor.digest;
}
