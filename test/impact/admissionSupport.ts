import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import type { CandidateEvidence } from '../../src/gitops/impact/contract';
import type { PolicyFile } from '../../src/gitops/impact/admission';
import type { Descriptor, Reference, RepositoryApi } from '../../src/oci';
import { verifyArtifact } from '../../src/signing';

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
 * The evidence the impact engine gathers, built here straight from the registry: the candidate's
 * digest and verifyArtifact against the real signatures. Attestation predicate types are given by
 * the test (this project's signer makes no attestations).
 */
export function registryEvidence(
  repo: RepositoryApi,
  subject: Descriptor,
  reference: Reference,
  attestationPredicateTypes: string[] = [],
): CandidateEvidence & { verifications: number } {
  const evidence = {
    reference,
    digest: subject.digest,
    mediaType: subject.mediaType,
    layers: [],
    attestationPredicateTypes,
    verifications: 0,
    verify: (trust: Parameters<CandidateEvidence['verify']>[0]) => {
      evidence.verifications++;
      return verifyArtifact(repo, subject, trust);
    },
  };
  return evidence;
}
