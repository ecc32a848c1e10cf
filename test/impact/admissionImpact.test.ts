import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { wouldRefuse, type ConsumerImpact } from '../../src/gitops/impact/contract';
import { impactOf } from '../../src/gitops/impact/impact';
import { OciClient, parseReference, type Reference, type RepositoryApi } from '../../src/oci';
import { publicKeyPem, signWithCosignKey } from '../../src/signing';
import { pushArtifact } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { policyFixture } from './admissionSupport';
import { workspace } from './workspaceFixtures';

// impactOf with the workspace's own admission policies: the Pod of Kubernetes' "Use an Image
// Volume With a Pod" task and a Kyverno or policy-controller policy beside it, for a candidate
// signed in a real Distribution. The engine reads the policies from the workspace itself.

const POD = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'impact', 'policies', 'kubernetes-image-volumes.yaml');

describe('impact of a candidate on an image-volume Pod that meets admission policies', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;
  let signer: KeyObject;
  let stranger: KeyObject;
  let candidate: Reference;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/app`));
    signer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const subject = await pushArtifact(repo, 'v2', { files: { 'index.html': 'hello\n' } });
    await signWithCosignKey(repo, subject, signer);
    candidate = parseReference(`${registry.host}/team/app:v2`);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const pod = () => readFileSync(POD, 'utf8').replace('quay.io/crio/artifact:v2', `${registry.host}/team/app:v2`);
  const impactWith = async (policy: { text: string }): Promise<ConsumerImpact> => {
    const dir = workspace({ 'pod.yaml': pod(), 'policy.yaml': policy.text });
    const report = await impactOf({
      candidate,
      files: [dir],
      registry: { repository: (host, repository) => client.repository({ registry: host, repository }) },
    });
    assert.equal(report.consumers.length, 1, JSON.stringify(report, null, 2));
    return report.consumers[0];
  };
  /** kyverno-check-image.yaml for this registry and key, with the image extractor that makes Kyverno read image volumes. */
  const kyverno = (key: KeyObject) =>
    policyFixture('kyverno-check-image.yaml', (doc) => {
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'imageReferences'], [`${registry.host}/team/*`]);
      doc.setIn(['spec', 'rules', 0, 'verifyImages', 0, 'attestors', 0, 'entries', 0, 'keys', 'publicKeys'], publicKeyPem(key));
      doc.setIn(['spec', 'rules', 0, 'imageExtractors'], { Pod: [{ path: '/spec/volumes/*/image/reference' }] });
    });

  test('a Kyverno policy whose key did not sign the candidate makes the Pod refuse it', async () => {
    const impact = await impactWith(kyverno(stranger));
    assert.equal(impact.consumer.kind, 'Pod');
    assert.equal(impact.pick.outcome, 'picks');
    assert.equal(impact.acceptance, 'refuses');
    assert.ok(wouldRefuse(impact));
    const [check] = impact.checks;
    assert.equal(check.check, 'Kyverno ClusterPolicy check-image / rule check-image');
    assert.match(check.declaredAt?.file ?? '', /policy\.yaml$/);
  });

  test('the same policy with the signing key accepts it', async () => {
    const impact = await impactWith(kyverno(signer));
    assert.equal(impact.acceptance, 'accepts', JSON.stringify(impact.checks, null, 2));
  });

  test('a policy-controller ClusterImagePolicy with another key makes the Pod refuse it', async () => {
    const policy = policyFixture('policy-controller-image-policy-key.yaml', (doc) =>
      doc.setIn(['spec', 'authorities', 0, 'key', 'data'], publicKeyPem(stranger)),
    );
    const impact = await impactWith(policy);
    assert.equal(impact.acceptance, 'refuses');
    assert.equal(impact.checks[0].check, 'policy-controller ClusterImagePolicy image-policy');
  });
});
