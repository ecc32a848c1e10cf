import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Document } from 'yaml';
import { admissionPolicies, type AdmissionTarget, type PolicyFile } from '../../src/gitops/impact/admission';
import type { Check } from '../../src/gitops/impact/contract';
import { type Descriptor, type Reference, type RepositoryApi } from '../../src/oci';
import { parseTrustedRoot, publicKeyPem } from '../../src/signing';
import type { RunningRegistry } from '../support/registry';
import type { RunningSigstore } from '../support/sigstoreServer';
import { ALICE, ISSUER, policyFixture, registryEvidence, signedRepository, type SignedRepository } from './admissionSupport';

// Sigstore policy-controller ClusterImagePolicy, written as its docs and examples show it
// (test/fixtures/impact/policies), for artifacts this project signs in a real Distribution.
// Behaviour follows sigstore/policy-controller @f925c0c1: pkg/apis/glob/glob.go,
// pkg/apis/config/image_policies.go, pkg/webhook/validator.go (ValidatePolicy, validatePolicies,
// checkOptsFromAuthority).

const POD: AdmissionTarget = { kind: 'Pod', namespace: 'apps', field: 'image-volume' };

describe('policy-controller ClusterImagePolicy against artifacts signed in a real registry', () => {
  let signed: SignedRepository;
  let registry: RunningRegistry;
  let sigstore: RunningSigstore;
  let repo: RepositoryApi;
  let signer: KeyObject;
  let stranger: KeyObject;
  let artifacts: Record<'key' | 'keyless', { ref: Reference; subject: Descriptor }>;

  before(async () => {
    signed = await signedRepository();
    ({ registry, sigstore, repo, signer, stranger } = signed);
    artifacts = { key: signed.key, keyless: signed.keyless };
  });
  after(() => signed?.stop());

  const checks = async (
    files: PolicyFile[],
    name: keyof typeof artifacts,
    predicateTypes: string[] = [],
    ref = artifacts[name].ref,
  ): Promise<Check[]> => {
    const policies = admissionPolicies(files, { sigstoreTrustedRoot: parseTrustedRoot(JSON.stringify(sigstore.trustedRoot)) });
    return policies.forTarget(POD).checksFor(ref, await registryEvidence(repo, ref, predicateTypes));
  };
  /** The docs' image-policy (glob "**") with its key authority holding this test's key. */
  const keyPolicy = (key: KeyObject, extra: (doc: Document) => void = () => undefined) =>
    policyFixture('policy-controller-image-policy-key.yaml', (doc) => {
      doc.setIn(['spec', 'authorities', 0, 'key', 'data'], publicKeyPem(key));
      extra(doc);
    });
  /** The v1alpha1 GitHub Actions example, with its identity and Fulcio pointed at this test's signer. */
  const keylessPolicy = (subject: string, bundle = true, extra: (doc: Document) => void = () => undefined) =>
    policyFixture('policy-controller-signed-by-github-actions.yaml', (doc) => {
      extra(doc);
      doc.setIn(['spec', 'authorities', 0, 'keyless', 'url'], sigstore.fulcioURL);
      doc.setIn(['spec', 'authorities', 0, 'keyless', 'identities', 0, 'issuer'], ISSUER);
      doc.setIn(['spec', 'authorities', 0, 'keyless', 'identities', 0, 'subject'], subject);
      if (bundle) doc.setIn(['spec', 'authorities', 0, 'signatureFormat'], 'bundle');
    });

  test('a key authority passes when the .sig signature verifies with key.data', async () => {
    const [check, ...rest] = await checks([keyPolicy(signer)], 'key');
    assert.equal(rest.length, 0);
    assert.equal(check.check, 'policy-controller ClusterImagePolicy image-policy');
    assert.equal(check.outcome, 'pass', check.detail);
    assert.match(check.detail, /authorities\[0\]\.key: sha256-[0-9a-f]{64}\.sig layer 1 of 1 verifies/);
  });

  test('a key authority fails for a signature made with another key', async () => {
    const [check] = await checks([keyPolicy(stranger)], 'key');
    assert.equal(check.outcome, 'fail');
    assert.match(check.detail, /^no authority passes: authorities\[0\]\.key: .*does not verify with the key the policy key/);
  });

  test('mode: warn reports a failing policy as a warning', async () => {
    const [check] = await checks([keyPolicy(stranger, (doc) => doc.setIn(['spec', 'mode'], 'warn'))], 'key');
    assert.equal(check.outcome, 'warn');
    assert.match(check.detail, /\[mode: warn: reported, not blocked\]$/);
  });

  test('within a policy one passing authority suffices', async () => {
    const either = keyPolicy(stranger, (doc) => doc.addIn(['spec', 'authorities'], { key: { data: publicKeyPem(signer) } }));
    const [check] = await checks([either], 'key');
    assert.equal(check.outcome, 'pass', check.detail);
    assert.match(check.detail, /^authorities\[1\]\.key: /);
  });

  test('every matching policy applies: a static pass does not rescue another policy that fails', async () => {
    const staticPass = policyFixture('policy-controller-static-pass.yaml', (doc) =>
      doc.setIn(['spec', 'images', 0, 'glob'], `${registry.host}/team/**`),
    );
    const found = await checks([staticPass, keyPolicy(stranger)], 'key');
    assert.deepEqual(
      found.map((c) => [c.check, c.outcome]),
      [
        ['policy-controller ClusterImagePolicy static-pass', 'pass'],
        ['policy-controller ClusterImagePolicy image-policy', 'fail'],
      ],
    );
  });

  test('globs: * stays within one path segment (tag included), ** crosses segments', async () => {
    const globbed = (glob: string) =>
      keyPolicy(signer, (doc) => doc.setIn(['spec', 'images', 0, 'glob'], glob.replace('HOST', registry.host)));
    assert.equal((await checks([globbed('HOST/team/*')], 'key')).length, 1, '* matches app:v1');
    assert.equal((await checks([globbed('HOST/*')], 'key'))[0].check, 'policy-controller no-match-policy');
    assert.equal((await checks([globbed('HOST/**')], 'key'))[0].outcome, 'pass');
    // `.` is literal in a glob: a pattern with `.` where the host has digits does not match.
    assert.equal((await checks([globbed('127x0x0x1:*/team/*')], 'key'))[0].check, 'policy-controller no-match-policy');
  });

  test('an image no policy matches is left to the cluster no-match-policy, out of reach', async () => {
    const elsewhere = keyPolicy(signer, (doc) => doc.setIn(['spec', 'images', 0, 'glob'], 'gcr.io/vaikas/**'));
    const [check] = await checks([elsewhere], 'key');
    assert.equal(check.outcome, 'out-of-reach');
    assert.match(
      check.detail,
      /no ClusterImagePolicy of the workspace \(image-policy\) matches the image: policy-controller then applies its no-match-policy/,
    );
  });

  test('a keyless authority with signatureFormat bundle passes for the matching identity and fails for another', async () => {
    const [ok] = await checks([keylessPolicy(ALICE)], 'keyless');
    assert.equal(ok.outcome, 'pass', ok.detail);
    assert.match(ok.detail, /signed by alice@example\.test/);
    const [mismatch] = await checks([keylessPolicy('bob@example.test')], 'keyless');
    assert.equal(mismatch.outcome, 'fail');
    assert.match(
      mismatch.detail,
      /signed by alice@example\.test \(issuer https:\/\/issuer\.example\.test\), which matches no configured OIDC identity/,
    );
  });

  test('a keyless authority without signatureFormat bundle reads only .sig signatures', async () => {
    const [check] = await checks([keylessPolicy(ALICE, false)], 'keyless');
    assert.equal(check.outcome, 'fail');
    assert.match(check.detail, /which policy-controller reads only with signatureFormat: bundle/);
  });

  test('an authority requiring an attestation fails when none of that predicate type is attached', async () => {
    const sbom = policyFixture('policy-controller-custom-key-attestation-sbom-spdxjson.yaml', (doc) =>
      doc.setIn(['spec', 'authorities', 0, 'key', 'data'], publicKeyPem(signer)),
    );
    const [missing] = await checks([sbom], 'key');
    assert.equal(missing.outcome, 'fail');
    assert.match(missing.detail, /attestation must-have-spdxjson requires a spdxjson attestation, and none is attached/);
    const [present] = await checks([sbom], 'key', ['spdxjson']);
    assert.equal(present.outcome, 'out-of-reach');
    assert.match(present.detail, /who signed it and its cue policy are not checked here/);
  });

  test('a TrustRoot reference or a key from a Secret is out of reach, named', async () => {
    const withRoot = keylessPolicy(ALICE, true, (doc) => doc.setIn(['spec', 'authorities', 0, 'keyless', 'trustRootRef'], 'my-root'));
    const [root] = await checks([withRoot], 'keyless');
    assert.equal(root.outcome, 'out-of-reach');
    assert.match(root.detail, /the TrustRoot my-root is not read here/);
    const secret = keyPolicy(signer, (doc) => doc.setIn(['spec', 'authorities', 0, 'key'], { secretRef: { name: 'secretName' } }));
    const [fromSecret] = await checks([secret], 'key');
    assert.equal(fromSecret.outcome, 'out-of-reach');
    assert.match(fromSecret.detail, /the key comes from a Secret in the cluster, which is not read here/);
  });
});
