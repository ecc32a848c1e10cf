import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compilePolicyControllerGlob,
  containerRegistryName,
  kyvernoImageString,
  kyvernoWildcardMatch,
} from '../../src/gitops/impact/admission/imagePatterns';
import { parseReference } from '../../src/oci';

// The two pattern languages, checked against their upstream test vectors.

describe("Kyverno's wildcard (IGLOU-EU/go-wildcard v1.0.3 Match, used by kyverno ext/wildcard)", () => {
  // Cases from go-wildcard v1.0.3 wildcard_test.go TestMatch.
  const cases: Array<[string, string, boolean]> = [
    ['*', 's3:GetObject', true],
    ['', 's3:GetObject', false],
    ['', '', true],
    ['s3:*', 's3:ListMultipartUploadParts', true],
    ['s3:ListBucketMultipartUploads', 's3:ListBucket', false],
    ['my-bucket/oo*', 'my-bucket/oo', true],
    ['my-bucket/In*', 'my-bucket/India/Karnataka/', true],
    ['my-bucket/In*', 'my-bucket/Karnataka/India/', false],
    ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/State1/State2/Karnataka/Area1/Area2/Area3/Ban', true],
    ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/Karnataka/Bangalore', false],
    ['my-bucket/oo*', 'my-bucket/odo', false],
    ['my-bucket?/abc*', 'mybucket/abc', false],
    ['my-bucket?/abc*', 'my-bucket1/abc', true],
    ['my??bucket/abc*', 'my4abucket/abc', true],
    ['my-bucket/abc?efg', 'my-bucket/abc/efg', true],
    ['my-bucket/abc????', 'my-bucket/abcde', false],
    ['my-bucket/abc?', 'my-bucket/abc', false],
    ['my-bucket/mnop*?', 'my-bucket/mnop', false],
    ['my-bucket/mnop*?', 'my-bucket/mnopqrst/mnopqrs', true],
    ['my-bucket/mnop*?and', 'my-bucket/mnopand', false],
    ['my-bucket/mnop*?and', 'my-bucket/mnopqand', true],
  ];
  for (const [pattern, text, matched] of cases)
    test(`${JSON.stringify(pattern)} ${matched ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () => {
      assert.equal(kyvernoWildcardMatch(pattern, text), matched);
    });

  test('many stars against a long near-miss finish quickly (no exponential backtracking)', () => {
    const started = Date.now();
    assert.equal(kyvernoWildcardMatch('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)), false);
    assert.ok(Date.now() - started < 1000);
  });
});

describe("policy-controller's glob (pkg/apis/glob/glob.go)", () => {
  // Cases from policy-controller pkg/apis/glob/glob_test.go TestGlobMatch, for qualified names
  // (the deprecated match against the unqualified name as typed is not modelled).
  const cases: Array<[string, string, boolean]> = [
    ['foo', 'index.docker.io/library/foo:latest', true],
    ['foo', 'index.docker.io/library/foo:*', true],
    ['foo', 'index.docker.io/library/*', true],
    ['foo', 'index.docker.io/*/*', true],
    ['foo', 'inde**', true],
    ['foo', '*', true],
    ['myuser/myapp', 'index.docker.io/myuser/*:latest', true],
    ['myuser/myapp', '*/*', true],
    ['ghcr.io/foo/bar', 'ghcr.io/*/*', true],
    ['ghcr.io/foo', 'ghcr.io/*/*', false],
    ['ghcr.io/foo', 'ghcr.io/**', true],
    ['ghcr.io/foo', '*/**', true],
    ['ghcr.io/foo', 'ghcr.io/foo*', true],
    ['ghcr.io/foo-suffix', 'ghcr.io/foo', false],
    ['ghcrxio/foo', 'ghcr.io/**', false],
    [
      'ghcr.io/foo@sha256:5504f2a95018e3d8a52d80d9e1a128c6ea337581808ff9fe96f5628ce2336350',
      'ghcr.io/foo@sha256:5504f2a95018e3d8a52d80d9e1a128c6ea337581808ff9fe96f5628ce2336350',
      true,
    ],
  ];
  for (const [image, glob, matched] of cases)
    test(`${glob} ${matched ? 'matches' : 'does not match'} ${image}`, () => {
      const regexp = compilePolicyControllerGlob(glob);
      assert.ok(regexp);
      assert.equal(regexp.test(containerRegistryName(parseReference(image))), matched);
    });

  test('a glob with characters outside [a-zA-Z0-9-_:/*.@] is invalid and matches nothing', () => {
    assert.equal(compilePolicyControllerGlob('.+'), undefined);
    assert.equal(compilePolicyControllerGlob('[a-z]*'), undefined);
  });
});

describe('image names as each controller spells them', () => {
  test('Kyverno drops the tag when there is a digest, and says docker.io for Docker Hub', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.equal(kyvernoImageString(parseReference(`ghcr.io/org/app:v1@${digest}`)), `ghcr.io/org/app@${digest}`);
    assert.equal(kyvernoImageString(parseReference('ghcr.io/org/app')), 'ghcr.io/org/app:latest');
    assert.equal(kyvernoImageString(parseReference('nginx')), 'docker.io/library/nginx:latest');
  });

  test('go-containerregistry says index.docker.io for Docker Hub', () => {
    assert.equal(containerRegistryName(parseReference('myuser/myapp:v2')), 'index.docker.io/myuser/myapp:v2');
  });
});
