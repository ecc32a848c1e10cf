import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OciClient, parseReference, type RepositoryApi } from '../../src/oci';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { fixture, pushCandidate, workspace } from './workspaceFixtures';

const FLUX_LAYER = 'application/vnd.cncf.flux.content.v1.tar+gzip';

describe('oci-gitops impact <reference> as a CI gate', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;
  let dir: string;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/podinfo`));
    // Argo CD takes 1.16.1 (a plain OCI layer) but refuses 2.0.0 (Flux's own layer type).
    await pushCandidate(repo, '1.16.1');
    await pushCandidate(repo, '2.0.0', FLUX_LAYER);
    const application = fixture('argo-oci-application.yaml', `${registry.host}/team/podinfo`);
    dir = workspace({
      'apps/app.yaml': application,
      'apps/next.yaml': application.replace('my-custom-image', 'next').replace('1.16.1', '2.0.0'),
    });
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test('exits 0 and lists the consumer with its file:line, pick and verdict when every consumer that picks it accepts it', async () => {
    const result = await cli(['impact', `${registry.host}/team/podinfo:1.16.1`, '--workspace', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /: 2 consumers in /);
    assert.match(result.stdout, /Application argocd\/my-custom-image {2}.*apps\/app\.yaml:11/);
    assert.match(result.stdout, /pick: {4}picks 1\.16\.1/);
    assert.match(result.stdout, /verdict: accepts/);
  });

  test('exits 1 and names the failing check when a consumer that picks it would refuse it', async () => {
    const result = await cli(['impact', `${registry.host}/team/podinfo:2.0.0`, '--workspace', dir]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /verdict: REFUSES/);
    assert.match(
      result.stdout,
      /FAIL Argo CD repo-server layer rule: oci layer media type application\/vnd\.cncf\.flux\.content\.v1\.tar\+gzip is not in the list/,
    );
    assert.match(result.stderr, /1 consumer would pick it up and refuse it/);
  });

  test('--json prints the report: candidate with its digest, consumers with pick, acceptance, checks and wouldRefuse', async () => {
    const result = await cli(['impact', `${registry.host}/team/podinfo:2.0.0`, '--workspace', dir, '--json']);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      candidate: { registry: string; repository: string; tag: string; digest: string };
      consumers: Array<{
        consumer: { kind: string; name: string; declaredAt: { file: string; line: number } };
        pick: unknown;
        acceptance: string;
        checks: Array<{ outcome: string }>;
        wouldRefuse: boolean;
      }>;
      skipped: unknown[];
    };
    assert.deepEqual(
      { registry: report.candidate.registry, repository: report.candidate.repository, tag: report.candidate.tag },
      { registry: registry.host, repository: 'team/podinfo', tag: '2.0.0' },
    );
    assert.match(report.candidate.digest, /^sha256:[a-f0-9]{64}$/);
    assert.deepEqual(
      report.consumers.map((c) => [c.consumer.name, c.pick, c.acceptance, c.wouldRefuse]),
      [
        ['my-custom-image', { outcome: 'not-picked', current: '1.16.1', reason: 'it follows the tag 1.16.1, not 2.0.0' }, 'refuses', false],
        ['next', { outcome: 'picks', after: '2.0.0' }, 'refuses', true],
      ],
    );
    assert.deepEqual(report.skipped, []);
  });

  test('exits 2 without a reference', async () => {
    const result = await cli(['impact', '--workspace', dir]);
    assert.equal(result.code, 2);
  });

  test('exits 2 when the candidate is not in its registry', async () => {
    const result = await cli(['impact', `${registry.host}/team/podinfo:9.9.9`, '--workspace', dir]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /9\.9\.9|not found|unknown/i);
  });
});
