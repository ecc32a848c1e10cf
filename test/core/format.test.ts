import assert from 'node:assert/strict';
import { test } from 'node:test';
import { age, errorMessage, formatSize, shortDigest, shortHex } from '../../src/text/format';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

test('a short digest keeps the algorithm and the first twelve hex digits', () => {
  assert.equal(shortDigest(digest), 'sha256:0123456789ab');
  assert.equal(shortDigest('sha512:' + 'f'.repeat(128)), 'sha512:ffffffffffff');
});

test('the short hex form is the first twelve hex digits without the algorithm', () => {
  assert.equal(shortHex(digest), '0123456789ab');
});

test('an error message is the message of an Error and the text of anything else thrown', () => {
  assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
  assert.equal(errorMessage('plain text'), 'plain text');
  assert.equal(errorMessage({ message: 'from an object' }), 'from an object');
  assert.equal(errorMessage(undefined), 'undefined');
});

test('an age counts the largest whole unit and says "just now" under a minute', () => {
  const now = Date.UTC(2026, 0, 10);
  assert.equal(age(new Date(now - 30_000), now), 'just now');
  assert.equal(age(new Date(now - 60_000), now), '1 minute ago');
  assert.equal(age(new Date(now - 3 * 86_400_000), now), '3 days ago');
  assert.equal(age(new Date(now + 60_000), now), 'just now');
});

test('sizes read in binary units with one decimal above a KiB', () => {
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(1536), '1.5 KiB');
  assert.equal(formatSize(Number.NaN), '?');
});
