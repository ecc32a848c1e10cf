import type { KeyObject } from 'node:crypto';
import type { Descriptor, RepositoryApi } from '../../src/oci';
import { signWithCosignKey } from '../../src/signing';
import { pushArtifact } from './fixtures';

/** What every release of `pushSignedReleases` carries: one file all tags share, so a mirror can show it copies it once. */
export const SHARED_FILE = 'kind: ConfigMap\nmetadata:\n  name: shared\n';

/**
 * Releases as a signing pipeline leaves them: each version a small artifact (one file of its own,
 * one shared by all) signed as `oci-gitops sign --key` signs, with a cosign `.sig` tag and a
 * Sigstore bundle referrer (in the `sha256-<hex>` fallback index on Distribution 2.8).
 */
export async function pushSignedReleases(
  repo: RepositoryApi,
  versions: readonly string[],
  key: KeyObject,
): Promise<Map<string, Descriptor>> {
  const pushed = new Map<string, Descriptor>();
  for (const version of versions) {
    const artifact = await pushArtifact(repo, version, {
      files: { 'shared.yaml': SHARED_FILE, 'app.yaml': `version: ${version}\n` },
    });
    await signWithCosignKey(repo, artifact, key);
    pushed.set(version, artifact);
  }
  return pushed;
}
