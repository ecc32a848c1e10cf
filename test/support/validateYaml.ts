import type { Diagnostic } from '../../src/gitops/diagnostic';
import { parseManifests } from '../../src/gitops/documents';
import { checkManifest, documentIsOurs, firstSyntaxError, MAX_VALIDATED_BYTES, oversized } from '../../src/gitops/engine';
import { mayHoldOurKinds } from '../../src/gitops/kindSniff';
import { applyTo, withoutSubstituted, type AppliedBy } from '../../src/gitops/kustomize/appliedBy';
import type { FileRole } from '../../src/gitops/kustomize/kustomizeIndex';
import { isPartialDocument } from '../../src/gitops/kustomize/partialObjects';
import { skipReason } from '../../src/gitops/scope';
import { declaredSources } from '../../src/gitops/sourceReferences';
import { addSources, type SourceIndex } from '../../src/gitops/sources';

// The rule tests' view of validation: GitOpsValidator without its JSON Schema pass, synchronous and
// over the whole text. No product code takes this path (the CLI, the push gate, the editor and the
// MCP tool all go through GitOpsValidator); test/gitops/validator.test.ts checks that the two give
// the same rule findings at the same offsets.

/**
 * Our own GitOps rules over every document of a YAML file (no JSON Schema: see GitOpsValidator).
 * Files and documents that are not ours get nothing, not even syntax errors; a document of ours
 * that does not parse gets its first syntax error. `role` is what a kustomization makes of the file.
 */
export function validateYaml(text: string, sources?: SourceIndex, role?: FileRole, appliedBy?: AppliedBy): Diagnostic[] {
  if (text.length > MAX_VALIDATED_BYTES) {
    return mayHoldOurKinds(text) ? [oversized()] : [];
  }
  if (skipReason(text) !== undefined) return [];
  const parsed = parseManifests(text);
  for (const { doc } of parsed.documents) applyTo(doc, appliedBy);
  const out: Diagnostic[] = [];
  // Sources in this file count as existing, whatever the caller knows of the workspace.
  const known: SourceIndex | undefined = sources
    ? addSources(
        new Map(sources),
        parsed.documents.flatMap(({ doc }) => declaredSources(doc)),
      )
    : undefined;
  for (const { doc } of parsed.documents) {
    const range = doc.range ?? [0, 0, 0];
    if (!documentIsOurs(doc, text.slice(range[0], range[2]))) continue;
    out.push(...firstSyntaxError(doc, text.length));
    out.push(...checkManifest(doc, text, known, !isPartialDocument(doc, role)));
  }
  return withoutSubstituted(out, text, appliedBy);
}
