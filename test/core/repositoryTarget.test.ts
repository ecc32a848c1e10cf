import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OciClient, pinned, tagged } from '../../src/oci';

// A typed reference names its repository; the repository API refuses one of another repository
// before any request, so a manifest is never read from the wrong place. (Reading by a typed
// reference is covered against the real registry by the pull, diff and compare tests.)
describe('a repository asked for a manifest by typed reference', () => {
  const repo = new OciClient().repository({ registry: 'registry.invalid', repository: 'org/app' });
  const digest = `sha256:${'a'.repeat(64)}`;

  test('fetchManifest refuses a reference of another repository, naming both', async () => {
    await assert.rejects(repo.fetchManifest(tagged({ registry: 'registry.invalid', repository: 'org/other' }, 'v1')), {
      code: 'INVALID_REFERENCE',
      message: 'registry.invalid/org/other:v1 is not in registry.invalid/org/app; ask that repository for it',
    });
  });

  test('resolve refuses a reference of the same repository on another registry', async () => {
    await assert.rejects(repo.resolve(pinned({ registry: 'other.invalid', repository: 'org/app' }, digest)), {
      code: 'INVALID_REFERENCE',
      message: `other.invalid/org/app@${digest} is not in registry.invalid/org/app; ask that repository for it`,
    });
  });
});
