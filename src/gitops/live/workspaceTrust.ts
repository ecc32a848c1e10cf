import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { loadKeylessTrust } from '../../signing/keyless/keylessTrust';
import { trustFromFolder } from '../../signing/trustSources';
import type { VerificationTrust } from '../../signing/verifyArtifact';
import type { LiveTarget } from '../contract/liveTarget';

/**
 * The keys a workspace holds for an OCIRepository's `spec.verify.secretRef`: a folder named after
 * the Secret beside the manifest (the files of the Secret, as `flux create secret` reads them), else
 * the manifest's own folder (`cosign.pub` next to the YAML). Nothing outside the manifest's folder
 * is read, so a secret name cannot point the check at other files.
 */
export function trustBesideManifest(manifestPath: string, target: LiveTarget, fallbackTrustedRoot?: string): VerificationTrust | undefined {
  const folder = dirname(manifestPath);
  const identities = (target.verify?.identities ?? []).filter(
    (i): i is { issuer: string; subject: string } => i.issuer !== undefined && i.subject !== undefined,
  );
  if (target.verify?.provider === 'cosign' && identities.length > 0)
    return keylessTrust(folder, target.verify.trustedRootSecretName, identities, fallbackTrustedRoot);
  const secret = secretFolder(folder, target.verify?.secretName);
  return (secret ? safeTrust(secret) : undefined) ?? safeTrust(folder);
}

/** A folder named after a Secret, inside the manifest's folder; undefined for a name that is not one. */
function secretFolder(folder: string, name: string | undefined): string | undefined {
  if (!name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) return undefined;
  const path = resolve(folder, name);
  return path.startsWith(folder + sep) ? path : undefined;
}

/**
 * Keyless verification (matchOIDCIdentity) needs a Sigstore trusted root: trusted_root.json in the
 * trustedRootSecretRef folder or beside the manifest, else the one the editor is configured with.
 */
function keylessTrust(
  folder: string,
  secretName: string | undefined,
  identities: { issuer: string; subject: string }[],
  fallback: string | undefined,
): VerificationTrust | undefined {
  const secret = secretFolder(folder, secretName);
  const candidates = [
    ...(secret ? [join(secret, 'trusted_root.json')] : []),
    join(folder, 'trusted_root.json'),
    ...(fallback ? [fallback] : []),
  ];
  const path = candidates.find((p) => existsSync(p));
  if (!path) return undefined;
  try {
    return { keyless: loadKeylessTrust(path, identities) };
  } catch {
    return undefined;
  }
}

function safeTrust(folder: string): VerificationTrust | undefined {
  try {
    return trustFromFolder(folder);
  } catch {
    // A malformed key file is reported where keys are managed; here it means "no usable trust".
    return undefined;
  }
}
