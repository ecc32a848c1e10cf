import { existsSync, readFileSync } from 'node:fs';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { MAX_VALIDATED_BYTES, oversized } from '../../gitops/engine';
import { mayHoldOurKinds } from '../../gitops/kindSniff';
import { isKustomizationFile, KustomizeIndex } from '../../gitops/kustomize/kustomizeIndex';
import { Reconciliation } from '../../gitops/kustomize/reconciliation';
import { skipReason } from '../../gitops/scope';
import { sharedValidator } from './sharedValidator';

/** The kustomizations among a set of files (a folder about to be pushed), read from disk. */
export function kustomizeIndexOf(paths: string[]): KustomizeIndex {
  const index = new KustomizeIndex();
  for (const path of paths.filter(isKustomizationFile)) {
    try {
      index.add(path, readFileSync(path, 'utf8'));
    } catch {
      // An unreadable kustomization names nothing; the push itself reports unreadable files.
    }
  }
  return index;
}

/** What applies each YAML file of a set of files (a folder about to be pushed), read from disk. */
export function reconciliationOf(paths: string[]): Reconciliation {
  const texts = new Map<string, string>();
  for (const path of paths.filter((p) => /\.ya?ml$/i.test(p) || isKustomizationFile(p))) {
    try {
      const text = readFileSync(path, 'utf8');
      if (text.length <= MAX_VALIDATED_BYTES) texts.set(path, text);
    } catch {
      // An unreadable file applies nothing; the push itself reports unreadable files.
    }
  }
  return new Reconciliation(texts);
}

/**
 * Findings for one file on disk, for the push gate: as the editor shows them (nothing for Helm
 * templates and other YAML; patches, as the kustomizations of `kustomize` name them, checked as
 * partial objects), except that a file too large to check is an error.
 */
export async function findingsForFile(
  path: string,
  text: string,
  kustomize: KustomizeIndex,
  reconciliation?: Reconciliation,
): Promise<Finding[]> {
  // Too large to check is an error here, as in `oci-gitops validate`: a push gate must not wave it through.
  if (text.length > MAX_VALIDATED_BYTES) return mayHoldOurKinds(text) ? [{ ...oversized(), severity: 'error' }] : [];
  if (skipReason(text, path, existsSync) !== undefined) return [];
  return sharedValidator().validate(text, undefined, undefined, kustomize.roleOf(path), reconciliation?.appliedBy(path));
}
