import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import type { CandidateEvidence } from '../../src/gitops/impact/contract';
import type { PolicyFile } from '../../src/gitops/impact/admission';
import { gatherEvidence } from '../../src/gitops/impact/evidence';
import { OciClient, parseReference, type Descriptor, type Reference, type RepositoryApi } from '../../src/oci';
import { signKeyless, signWithCosignKey } from '../../src/signing';
import { pushArtifact } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { identityToken, startSigstore, type RunningSigstore } from '../support/sigstoreServer';

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

export const ISSUER = 'https://issuer.example.test';
export const ALICE = 'alice@example.test';

/**
 * A real Distribution and the Sigstore mock with `team/app` holding `v1` signed with `signer`'s
 * cosign key (both formats) and `v2` signed keyless as ALICE (a Sigstore bundle); `stranger` signed
 * nothing.
 */
export interface SignedRepository {
  registry: RunningRegistry;
  sigstore: RunningSigstore;
  client: OciClient;
  repo: RepositoryApi;
  signer: KeyObject;
  stranger: KeyObject;
  key: { ref: Reference; subject: Descriptor };
  keyless: { ref: Reference; subject: Descriptor };
  /** Pushes another small artifact at `tag`, unsigned. */
  push(tag: string): Promise<{ ref: Reference; subject: Descriptor }>;
  stop(): Promise<void>;
}

export async function signedRepository(): Promise<SignedRepository> {
  const registry = await startRegistry({ auth: 'none' });
  const sigstore = await startSigstore();
  const client = new OciClient();
  const repo = client.repository(parseReference(`${registry.host}/team/app`));
  const newKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const push = async (tag: string) => {
    const subject = await pushArtifact(repo, tag, { files: { 'deploy.yaml': `kind: ConfigMap\n# ${tag}\n` } });
    return { ref: parseReference(`${registry.host}/team/app:${tag}`), subject };
  };
  const signer = newKey();
  const key = await push('v1');
  await signWithCosignKey(repo, key.subject, signer);
  const keyless = await push('v2');
  await signKeyless(repo, keyless.subject, {
    identityToken: identityToken({ iss: ISSUER, sub: ALICE, email: ALICE, email_verified: true }),
    fulcioURL: sigstore.fulcioURL,
    rekorURL: sigstore.rekorURL,
    timeoutMs: 10_000,
  });
  return {
    registry,
    sigstore,
    client,
    repo,
    signer,
    stranger: newKey(),
    key,
    keyless,
    push,
    stop: async () => {
      await client.close();
      await registry.stop();
      await sigstore.stop();
    },
  };
}
