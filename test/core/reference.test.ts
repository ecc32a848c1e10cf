import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, formatReference, formatRepository, isDigest, parseReference, parseRegistryHost, pinned } from '../../src/oci';

describe('references', () => {
  test('a full reference splits into registry, repository, tag and digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseReference(`ghcr.io/org/app:1.2.3@${digest}`), {
      registry: 'ghcr.io',
      repository: 'org/app',
      tag: '1.2.3',
      digest,
    });
  });

  test('the oci:// scheme that Flux and Argo CD use is accepted', () => {
    assert.deepEqual(parseReference('oci://registry.example.com:5000/team/manifests:v1'), {
      registry: 'registry.example.com:5000',
      repository: 'team/manifests',
      tag: 'v1',
    });
  });

  test('a port is part of the registry, not a tag', () => {
    assert.deepEqual(parseReference('localhost:5000/app'), { registry: 'localhost:5000', repository: 'app' });
  });

  test('IPv6 registries are written in brackets', () => {
    assert.deepEqual(parseReference('[::1]:5000/app:dev'), { registry: '[::1]:5000', repository: 'app', tag: 'dev' });
  });

  test('Docker Hub names are normalised to registry-1.docker.io with library/', () => {
    assert.deepEqual(parseReference('nginx:1.27'), { registry: 'registry-1.docker.io', repository: 'library/nginx', tag: '1.27' });
    assert.deepEqual(parseReference('docker.io/fluxcd/flux'), { registry: 'registry-1.docker.io', repository: 'fluxcd/flux' });
    assert.deepEqual(parseReference('index.docker.io/alpine'), { registry: 'registry-1.docker.io', repository: 'library/alpine' });
  });

  test('uppercase repository names are rejected with the reason', () => {
    assert.throws(() => parseReference('ghcr.io/Org/app'), /path component "Org" is not valid \(it must be lowercase\)/);
  });

  test('an invalid tag is rejected with the allowed grammar', () => {
    assert.throws(() => parseReference('ghcr.io/org/app:-bad'), /tag "-bad" is not valid/);
  });

  test('a digest must have the right length for its algorithm', () => {
    assert.throws(() => parseReference('ghcr.io/org/app@sha256:abc'), /sha256 digest has exactly 64 lowercase hex digits/);
    assert.throws(() => parseReference(`ghcr.io/org/app@md5:${'a'.repeat(32)}`), /algorithm "md5" is not supported/);
    assert.throws(() => parseReference(`ghcr.io/org/app@sha256:${'A'.repeat(64)}`), /lowercase hex/);
  });

  test('other URL schemes are refused', () => {
    assert.throws(() => parseReference('https://ghcr.io/org/app'), /only the oci:\/\/ scheme/);
  });

  test('references longer than 255 characters are refused', () => {
    assert.throws(() => parseReference(`ghcr.io/${'a'.repeat(260)}`), /longer than 255/);
  });

  test('formatting gives back the canonical text', () => {
    assert.equal(formatReference(parseReference('oci://LOCALHOST:5000/app:v1')), 'localhost:5000/app:v1');
  });
});

describe('registry hosts', () => {
  test('scheme, case and trailing slash are dropped', () => {
    assert.equal(parseRegistryHost('https://Ghcr.IO/'), 'ghcr.io');
    assert.equal(parseRegistryHost('oci://localhost:5000'), 'localhost:5000');
  });

  test("docker.io means Docker Hub's API host", () => {
    assert.equal(parseRegistryHost('docker.io'), 'registry-1.docker.io');
  });

  test('a path, credentials or a bad port are refused with the reason', () => {
    assert.throws(() => parseRegistryHost('ghcr.io/org'), /without a path/);
    assert.throws(() => parseRegistryHost('user:pw@ghcr.io'), /credentials/);
    assert.throws(() => parseRegistryHost('localhost:99999'), /not a valid port/);
    assert.throws(() => parseRegistryHost('::1'), /IPv6 address must be written in brackets/);
  });
});

test('pinned keeps the repository and replaces tag and digest with the one digest', () => {
  const ref = parseReference('ghcr.io/org/app:1.0.0');
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(pinned(ref, digest), { registry: 'ghcr.io', repository: 'org/app', digest });
  assert.equal(formatReference(pinned(ref, digest)), `ghcr.io/org/app@${digest}`);
});

test('at reads what follows a repository as a digest when it has a colon, else as a tag', () => {
  const repository = parseReference('localhost:5000/fleet/app');
  const digest = `sha256:${'b'.repeat(64)}`;
  assert.deepEqual(at(repository, digest), { registry: 'localhost:5000', repository: 'fleet/app', digest });
  assert.deepEqual(at(repository, '1.2.3'), { registry: 'localhost:5000', repository: 'fleet/app', tag: '1.2.3' });
  assert.equal(isDigest(digest), true);
  assert.equal(isDigest('v1.2.3'), false);
});

test('formatRepository names the repository a reference is in, without its tag or digest', () => {
  const digest = `sha256:${'c'.repeat(64)}`;
  const ref = { registry: 'localhost:5000', repository: 'fleet/app', tag: 'v1', digest };
  assert.equal(formatRepository(ref), 'localhost:5000/fleet/app');
  assert.equal(formatReference(ref), `localhost:5000/fleet/app:v1@${digest}`);
});
