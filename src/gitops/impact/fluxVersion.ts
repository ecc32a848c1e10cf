import { basename } from 'node:path';
import { nodeAt, rangeOf, scalarString } from '../documents';
import type { DeclaredAt } from './contract';
import { declaredAt, type WorkspacePicture } from './workspace';

/** The Flux release the workspace installs, as far as it says: `latest` for a FluxInstance range such as `2.x`. */
export interface FluxVersion {
  major: number;
  minor: number | 'latest';
  /** As written: `2.7.x`, `v2.7.0`. */
  written: string;
  declaredAt: DeclaredAt;
}

/** `flux install --export` and `flux bootstrap` head the file with this line. */
const GOTK_HEADER = /^# Flux Version: (v?\d+\.\d+\.\d+\S*)/m;
const GOTK_LABEL = /app\.kubernetes\.io\/version: ['"]?(v?\d+\.\d+\.\d+)/;

/**
 * Which Flux the workspace runs: a FluxInstance's `spec.distribution.version` (the Flux Operator
 * takes the highest release matching a `2.x` or `2.7.x` range), else the `# Flux Version:` header
 * or the `app.kubernetes.io/version` label of a `gotk-components.yaml`.
 */
export function workspaceFluxVersion(workspace: WorkspacePicture): FluxVersion | undefined {
  for (const document of workspace.documents) {
    const root = document.root;
    if (scalarString(root.get('kind', true)) !== 'FluxInstance') continue;
    const node = nodeAt(root, 'spec', 'distribution', 'version');
    const written = scalarString(node);
    const parsed = written ? parseFluxVersion(written) : undefined;
    if (parsed) return { ...parsed, written: written!, declaredAt: declaredAt(document, rangeOf(node)?.[0] ?? 0) };
  }
  for (const [file, text] of workspace.texts) {
    if (basename(file) !== 'gotk-components.yaml') continue;
    const match = GOTK_HEADER.exec(text) ?? GOTK_LABEL.exec(text);
    const parsed = match ? parseFluxVersion(match[1]) : undefined;
    if (parsed) return { ...parsed, written: match![1], declaredAt: declaredAt({ file, text }, match!.index) };
  }
  return undefined;
}

function parseFluxVersion(text: string): Pick<FluxVersion, 'major' | 'minor'> | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?/.exec(text.trim());
  if (!match) return undefined;
  const minor = match[2] === undefined || match[2] === 'x' || match[2] === '*' ? 'latest' : Number(match[2]);
  return { major: Number(match[1]), minor };
}

/**
 * Whether this Flux reads cosign v3 Sigstore bundles (OCI referrers): source-controller v1.8.0,
 * shipped with Flux v2.8.0 (fluxcd/source-controller#1923, PR #1961 "Discover cosign v3
 * NewBundleFormat"). Older releases read only the legacy `sha256-<hex>.sig` tag.
 */
export function readsSigstoreBundles(version: FluxVersion): boolean {
  return atLeast(version, 8);
}

/**
 * Whether this Flux knows `spec.verify.trustedRootSecretRef`: source-controller v1.9.0, Flux v2.9.0.
 * An older CRD prunes the field, and the controller verifies against Sigstore public-good.
 */
export function readsTrustedRootSecret(version: FluxVersion): boolean {
  return atLeast(version, 9);
}

function atLeast(version: FluxVersion, minor: number): boolean {
  if (version.major !== 2) return version.major > 2;
  return version.minor === 'latest' || version.minor >= minor;
}
