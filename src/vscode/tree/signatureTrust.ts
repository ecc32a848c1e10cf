import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationTrust } from '../../signing/verifyArtifact';
import type { SigningSettings } from '../signing/signingSettings';

/**
 * The keys and trust the tree verifies signatures with, read from disk once and again only when
 * the signing settings or one of the files they name change (a stat per file, instead of reading
 * and parsing every key, certificate and trusted root on each expand).
 */
export class SignatureTrust {
  private cached?: { key: string; trust: VerificationTrust };

  async get(): Promise<VerificationTrust> {
    // Signature verification (Sigstore, notation) loads with the first tag that has signatures.
    const [{ readSigningSettings }, { loadVerificationTrust }, { loadKeylessTrust }] = await Promise.all([
      import('../signing/signingSettings.js'),
      import('../../signing/trustSources.js'),
      import('../../signing/keyless/keylessTrust.js'),
    ]);
    const settings = readSigningSettings();
    const key = stateOf(settings);
    if (this.cached?.key === key) return this.cached.trust;
    const trust = loadVerificationTrust({ cosignPublicKeys: settings.cosignPublicKeys, notationTrustFolder: settings.notationTrust });
    if (settings.sigstore.trustedRoot && settings.sigstore.identities.length > 0)
      trust.keyless = loadKeylessTrust(settings.sigstore.trustedRoot, settings.sigstore.identities);
    this.cached = { key, trust };
    return trust;
  }
}

/** The settings that decide trust, with the size and modification time of each file they name. */
function stateOf(settings: SigningSettings): string {
  const files = [...settings.cosignPublicKeys, settings.notationTrust, settings.sigstore.trustedRoot].filter(
    (path): path is string => path !== undefined,
  );
  const stamps = files.map((path) => {
    try {
      const info = statSync(path);
      return `${path}:${info.size}:${info.mtimeMs}:${info.isDirectory() ? dirStamp(path) : ''}`;
    } catch {
      return `${path}:missing`;
    }
  });
  return JSON.stringify([
    settings.cosignPublicKeys,
    settings.notationTrust,
    settings.sigstore.trustedRoot,
    settings.sigstore.identities,
    stamps,
  ]);
}

/** A trust folder changes when a file anywhere in it does (trustpolicy.json, truststore certificates). */
function dirStamp(folder: string): string {
  const stamps: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const info = statSync(path);
        stamps.push(`${path}:${info.size}:${info.mtimeMs}`);
      }
    }
  };
  walk(folder);
  return stamps.join('|');
}
