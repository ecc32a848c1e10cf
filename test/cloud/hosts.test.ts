import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerForHost, recogniseHost } from '../../src/cloud/hosts';

// Host forms as the clouds name their registries (ECR's partitions and FIPS endpoints, ACR's
// sovereign clouds, Artifact Registry's locations), against the patterns src/cloud/hosts.ts takes
// from fluxcd/pkg auth/aws/provider.go, auth/azure/provider.go and oci/auth/gcp/auth.go.

describe('cloud registry hosts', () => {
  test('an ECR private registry gives its account and region', () => {
    assert.deepEqual(recogniseHost('012345678901.dkr.ecr.eu-west-1.amazonaws.com'), {
      provider: 'aws',
      service: 'ecr',
      account: '012345678901',
      region: 'eu-west-1',
      fips: false,
    });
  });

  test('ECR in FIPS, China, GovCloud, the EU sovereign cloud and the isolated partitions', () => {
    const hosts: [string, string, boolean][] = [
      ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1', true],
      ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'cn-north-1', false],
      ['123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu', 'eusc-de-east-1', false],
      ['123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov', 'us-isob-east-1', false],
      ['123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1', false],
      ['123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk', 'eu-isoe-west-1', false],
      ['123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov', 'us-isof-south-1', false],
      ['123456789012.DKR.ECR.AP-SOUTHEAST-2.AMAZONAWS.COM', 'ap-southeast-2', false],
    ];
    for (const [host, region, fips] of hosts) {
      const recognised = recogniseHost(host);
      assert.equal(recognised?.provider, 'aws', host);
      assert.ok(recognised.service === 'ecr' && recognised.region === region && recognised.fips === fips, host);
    }
  });

  test('ECR Public signs in in us-east-1', () => {
    assert.deepEqual(recogniseHost('public.ecr.aws'), { provider: 'aws', service: 'ecr-public', region: 'us-east-1' });
  });

  test('Azure Container Registry in the public, China, US Government and German clouds', () => {
    assert.deepEqual(recogniseHost('contoso.azurecr.io'), { provider: 'azure', service: 'acr', cloud: 'public' });
    assert.deepEqual(recogniseHost('contoso.azurecr.cn'), { provider: 'azure', service: 'acr', cloud: 'china' });
    assert.deepEqual(recogniseHost('contoso.azurecr.us'), { provider: 'azure', service: 'acr', cloud: 'government' });
    assert.deepEqual(recogniseHost('contoso.azurecr.de'), { provider: 'azure', service: 'acr', cloud: 'germany' });
    assert.equal(providerForHost('my-registry-01.azurecr.io'), 'azure');
  });

  test('Artifact Registry gives its location; Container Registry hosts are Google too', () => {
    assert.deepEqual(recogniseHost('europe-west4-docker.pkg.dev'), {
      provider: 'gcp',
      service: 'artifact-registry',
      location: 'europe-west4',
    });
    assert.deepEqual(recogniseHost('us-docker.pkg.dev'), { provider: 'gcp', service: 'artifact-registry', location: 'us' });
    for (const host of ['gcr.io', 'eu.gcr.io', 'us.gcr.io', 'asia.gcr.io', 'mirror.gcr.io']) {
      assert.deepEqual(recogniseHost(host), { provider: 'gcp', service: 'container-registry' }, host);
    }
  });

  test('GHCR is GitHub; Docker Hub is recognised but has no cloud sign-in', () => {
    assert.deepEqual(recogniseHost('ghcr.io'), { provider: 'github', service: 'ghcr' });
    for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
      assert.deepEqual(recogniseHost(host), { provider: undefined, service: 'docker-hub' }, host);
      assert.equal(providerForHost(host), undefined);
    }
  });

  test('near misses are no cloud registry, so no cloud token is ever sent to them', () => {
    const nearMisses = [
      // ECR look-alikes: short or lettered accounts, other suffixes, extra labels, ports.
      '12345678901.dkr.ecr.us-east-1.amazonaws.com',
      'abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com:443',
      'x.123456789012.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr..amazonaws.com',
      '123456789012xdkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr.us-east-1.amazonaws.co',
      'public.ecr.aws.evil.example',
      'ecr.aws',
      // Azure look-alikes.
      'azurecr.io',
      '.azurecr.io',
      'contoso.azurecr.io.evil.example',
      'contoso.azurecr.com',
      'contoso-.azurecr.io',
      // Google look-alikes.
      'docker.pkg.dev',
      '-docker.pkg.dev',
      'us-docker.pkg.dev.evil.example',
      'us-maven.pkg.dev',
      'gcr.io.evil.example',
      'evilgcr.io',
      // GitHub and Docker Hub look-alikes, and the loopback registries of the tests.
      'ghcr.io.evil.example',
      'docker.pkg.github.com',
      'hub.docker.com.evil.example',
      '127.0.0.1:5000',
      'localhost',
      '',
    ];
    for (const host of nearMisses) assert.equal(recogniseHost(host), undefined, host);
  });

  test('a crafted host of repeated near-matches is answered at once', () => {
    // Longer than any host name: refused before any pattern runs.
    assert.equal(recogniseHost(`${'1'.repeat(12)}.dkr.ecr.${'us-'.repeat(200)}1.amazonaws.com!`), undefined);
    // At the length limit, the anchored patterns fail in one pass.
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) {
      recogniseHost(`${'a-'.repeat(120)}!-docker.pkg.dev`);
      recogniseHost(`123456789012.dkr.ecr.us${'-east'.repeat(45)}.amazonaws.com!`);
    }
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
  });
});
