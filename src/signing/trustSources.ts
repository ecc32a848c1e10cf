import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadPublicKey } from './keys';
import { loadNotationTrust } from './notationTrust';
import type { VerificationTrust } from './verifyArtifact';

/** Reads cosign public keys (cosign.pub files) for verification, named by their file. */
export function loadCosignPublicKeys(paths: string[]): NonNullable<VerificationTrust['cosignKeys']> {
  return paths.map((path) => ({ name: basename(path), key: loadPublicKey(readFileSync(path, 'utf8'), path) }));
}

/**
 * The trust a folder holds in the shape of a Flux `spec.verify.secretRef` Secret: `*.pub` files
 * are cosign keys (Flux tries every key whose name ends in `.pub`), and a `trustpolicy.json` with
 * certificates makes it a notation trust folder. Returns undefined when the folder holds neither,
 * so validation can say "no key in the workspace" rather than "invalid".
 */
export function trustFromFolder(folder: string): VerificationTrust | undefined {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  const pubs = readdirSync(folder)
    .filter((f) => f.endsWith('.pub'))
    .map((f) => join(folder, f));
  const trust: VerificationTrust = {};
  if (pubs.length > 0) trust.cosignKeys = loadCosignPublicKeys(pubs);
  if (existsSync(join(folder, 'trustpolicy.json')) || existsSync(join(folder, 'trustpolicy.oci.json')))
    trust.notation = loadNotationTrust(folder);
  return trust.cosignKeys || trust.notation ? trust : undefined;
}

/**
 * The trust the editor verifies against, from settings: cosign public key files and a notation
 * trust folder. Missing entries mean "not configured" (signatures then show as unverified).
 */
export function loadVerificationTrust(settings: { cosignPublicKeys?: string[]; notationTrustFolder?: string }): VerificationTrust {
  const trust: VerificationTrust = {};
  if (settings.cosignPublicKeys && settings.cosignPublicKeys.length > 0) trust.cosignKeys = loadCosignPublicKeys(settings.cosignPublicKeys);
  if (settings.notationTrustFolder) trust.notation = loadNotationTrust(settings.notationTrustFolder);
  return trust;
}
