// Shared fixtures for the offline signing tests: keys and a subject descriptor.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Descriptor } from '../../src/oci';

export function p256(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export const SUBJECT: Descriptor = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${'a1'.repeat(32)}`,
  size: 1234,
};

export const OTHER_DIGEST = `sha256:${'b2'.repeat(32)}`;
