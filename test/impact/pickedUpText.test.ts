import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConsumerImpact, ImpactReport, Selector } from '../../src/gitops/impact/contract';
import { pickedUpText } from '../../src/gitops/impact/describeImpact';

const candidate = { registry: 'registry.example.com', repository: 'apps/app', tag: '1.4.0', digest: `sha256:${'a'.repeat(64)}` };

function consumer(kind: string, namespace: string, name: string, selector: Selector, rest: Partial<ConsumerImpact> = {}): ConsumerImpact {
  return {
    consumer: {
      kind,
      name,
      namespace,
      declaredAt: { file: `/ws/${name}.yaml`, line: 1 },
      registry: candidate.registry,
      repository: candidate.repository,
      selector,
    },
    pick: { outcome: 'picks', after: '1.4.0' },
    acceptance: 'accepts',
    checks: [],
    ...rest,
  };
}

const report = (consumers: ConsumerImpact[]): ImpactReport => ({ candidate, consumers, skipped: [] });

/** A Flux OCIRepository in flux-system; it picks the candidate unless `rest` says otherwise. */
const flux = (name: string, selector: Selector, rest: Partial<ConsumerImpact> = {}) =>
  consumer('OCIRepository', 'flux-system', name, selector, rest);

describe('the completion line that names who picks a pushed artifact up', () => {
  test('names every consumer that picks it, with the range or tag stream it follows', () => {
    assert.equal(
      pickedUpText(
        report([flux('app', { type: 'semver', range: '1.x' }), consumer('Application', 'argocd', 'app', { type: 'tag', tag: '1.4.0' })]),
      ),
      'picked up by 2 consumers: OCIRepository flux-system/app (follows 1.x), Application argocd/app',
    );
  });

  test('leaves out a pinned consumer, and counts one consumer in the singular', () => {
    const pinned = `sha256:${'b'.repeat(64)}`;
    assert.equal(
      pickedUpText(
        report([
          flux('pinned', { type: 'digest', digest: pinned }, { pick: { outcome: 'pinned', pinned } }),
          flux('edge', { type: 'latest' }),
        ]),
      ),
      'picked up by 1 consumer: OCIRepository flux-system/edge (follows latest)',
    );
  });

  test('says which consumer cannot be judged here, and is silent when nothing picks it', () => {
    assert.equal(
      pickedUpText(report([flux('app', { type: 'semver', range: '>=1.0.0' }, { acceptance: 'unknown' })])),
      'picked up by 1 consumer: OCIRepository flux-system/app (follows >=1.0.0, cannot be judged here)',
    );
    const notPicked = flux('app', { type: 'tag', tag: 'prod' }, { pick: { outcome: 'not-picked', reason: 'follows tag prod' } });
    assert.equal(pickedUpText(report([notPicked])), undefined);
  });
});
