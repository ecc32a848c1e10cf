import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependentRounds, maxInFlight, roundsOf } from '../support/latencyProxy';

// Requests as a latency proxy records them: when each arrived and when its answer had been sent.
const at = (name: string, start: number, end: number) => ({ name, start, end });

test('requests that were all in flight together are one round', () => {
  const requests = [at('manifest', 0, 50), at('config', 1, 52), at('layer', 2, 51)];
  assert.equal(dependentRounds(requests), 1);
});

test('a request that starts after another ended is a round of its own', () => {
  const requests = [at('manifest', 0, 50), at('referrers', 51, 101), at('fallback tag', 102, 152)];
  assert.equal(dependentRounds(requests), 3);
  assert.deepEqual(
    roundsOf(requests).map((round) => round.map((r) => r.name)),
    [['manifest'], ['referrers'], ['fallback tag']],
  );
});

test('a batch sent once the first answer is in is the second round, whatever its size', () => {
  const requests = [
    at('manifest', 0, 50),
    at('referrers', 51, 101),
    at('fallback tag', 51, 102),
    at('.sig', 52, 101),
    at('config', 52, 103),
  ];
  assert.deepEqual(
    roundsOf(requests).map((round) => round.map((r) => r.name)),
    [['manifest'], ['referrers', 'fallback tag', '.sig', 'config']],
  );
});

test('the rounds are the longest chain of waits, not the number of requests', () => {
  // Bounded concurrency: two slots, each starting its next request when its last one ended.
  const requests = [at('a', 0, 50), at('b', 0, 60), at('c', 50, 100), at('d', 60, 110), at('e', 100, 150)];
  assert.equal(dependentRounds(requests), 3);
  assert.deepEqual(
    roundsOf(requests).map((round) => round.map((r) => r.name)),
    [['a', 'b'], ['c', 'd'], ['e']],
  );
});

test('a request that overlaps the end of one earlier request is not held back by it', () => {
  // "late" started before "slow" ended, but after "quick" ended: it may have waited for "quick" only.
  const requests = [at('quick', 0, 10), at('slow', 0, 100), at('late', 20, 70)];
  assert.deepEqual(
    roundsOf(requests).map((round) => round.map((r) => r.name)),
    [['quick', 'slow'], ['late']],
  );
});

test('no requests are no rounds', () => {
  assert.equal(dependentRounds([]), 0);
});

test('the most requests in flight at once counts overlaps, not requests', () => {
  assert.equal(maxInFlight([at('a', 0, 50), at('b', 10, 60), at('c', 20, 30), at('d', 60, 70)]), 3);
  assert.equal(maxInFlight([at('a', 0, 50), at('b', 50, 100)]), 1);
  assert.equal(maxInFlight([]), 0);
});
