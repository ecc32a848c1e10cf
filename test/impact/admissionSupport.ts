import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import type { CandidateEvidence } from '../../src/gitops/impact/contract';
import type { PolicyFile } from '../../src/gitops/impact/admission';
import { gatherEvidence } from '../../src/gitops/impact/evidence';
import type { Reference, RepositoryApi } from '../../src/oci';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'impact', 'policies');

/**
 * A vendored upstream policy (see PROVENANCE.md), with `edit` setting the fields that must point at
 * the test's registry, keys or identities. Edits go through the YAML document, so everything the
 * upstream example says and the test does not change stays as written.
 */
export function policyFixture(name: string, edit: (doc: Document) => void = () => undefined): PolicyFile {
  const doc = parseDocument(readFileSync(join(FIXTURES, name), 'utf8'));
  edit(doc);
  return { file: `policies/${name}`, text: doc.toString() };
}

/**
 * The impact engine's evidence for a candidate in a real registry (gatherEvidence), with the
 * attestation predicate types the test says are attached: this project's signer makes no
 * attestations, so a test that needs one names it here.
 */
export async function registryEvidence(
  repo: RepositoryApi,
  reference: Reference,
  attestationPredicateTypes?: string[],
): Promise<CandidateEvidence> {
  const evidence = await gatherEvidence(repo, reference);
  return attestationPredicateTypes ? { ...evidence, attestationPredicateTypes } : evidence;
}
