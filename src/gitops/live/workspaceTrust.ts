import { dirname, join, resolve, sep } from 'node:path';
import { trustFromFolder } from '../../signing/trustSources';
import type { VerificationTrust } from '../../signing/verifyArtifact';
import type { LiveTarget } from './liveTargets';

/**
 * The keys a workspace holds for an OCIRepository's `spec.verify.secretRef`: a folder named after
 * the Secret beside the manifest (the files of the Secret, as `flux create secret` reads them), else
 * the manifest's own folder (`cosign.pub` next to the YAML). Nothing outside the manifest's folder
 * is read, so a secret name cannot point the check at other files.
 */
export function trustBesideManifest(manifestPath: string, target: LiveTarget): VerificationTrust | undefined {
  const folder = dirname(manifestPath);
  const secret = target.verify?.secretName;
  if (secret && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secret)) {
    const secretFolder = resolve(folder, secret);
    if (secretFolder.startsWith(folder + sep)) {
      const trust = safeTrust(secretFolder);
      if (trust) return trust;
    }
  }
  return safeTrust(join(folder));
}

function safeTrust(folder: string): VerificationTrust | undefined {
  try {
    return trustFromFolder(folder);
  } catch {
    // A malformed key file is reported where keys are managed; here it means "no usable trust".
    return undefined;
  }
}
