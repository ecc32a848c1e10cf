import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DockerConfigCredentials } from '../../src/oci';

async function configWith(content: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(content));
  return path;
}

describe('Docker config.json credentials', () => {
  test('auths entries with base64 auth give username and password', async () => {
    const path = await configWith({ auths: { 'https://reg.example.com': { auth: Buffer.from('alice:s3:cret').toString('base64') } } });
    assert.deepEqual(await new DockerConfigCredentials({ configPath: path }).get('reg.example.com'), {
      username: 'alice',
      password: 's3:cret',
    });
  });

  test('Docker Hub credentials filed under index.docker.io/v1 apply to registry-1.docker.io', async () => {
    const path = await configWith({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('bob:pw').toString('base64') } } });
    const creds = new DockerConfigCredentials({ configPath: path });
    assert.deepEqual(await creds.get('registry-1.docker.io'), { username: 'bob', password: 'pw' });
    assert.deepEqual(await creds.registries(), ['registry-1.docker.io']);
  });

  test('an identitytoken is used as a refresh token', async () => {
    const path = await configWith({
      auths: {
        'myacr.azurecr.io': { auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'), identitytoken: 'refresh-me' },
      },
    });
    assert.deepEqual(await new DockerConfigCredentials({ configPath: path }).get('myacr.azurecr.io'), {
      username: '00000000-0000-0000-0000-000000000000',
      identityToken: 'refresh-me',
    });
  });

  test('credHelpers run docker-credential-<name> get with the server URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cred-helper-'));
    const helper = join(dir, 'docker-credential-fake');
    await writeFile(
      helper,
      '#!/bin/sh\nread server\necho "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"from-helper\\",\\"Secret\\":\\"$server-secret\\"}"\n',
    );
    await chmod(helper, 0o755);
    const path = await configWith({ credHelpers: { 'helped.example.com': 'fake' } });
    const previous = process.env.PATH;
    process.env.PATH = `${dir}:${previous}`;
    try {
      assert.deepEqual(await new DockerConfigCredentials({ configPath: path }).get('helped.example.com'), {
        username: 'from-helper',
        password: 'helped.example.com-secret',
      });
    } finally {
      process.env.PATH = previous;
    }
  });

  test('a missing credential helper is a clear error naming the program', async () => {
    const path = await configWith({ credsStore: 'does-not-exist' });
    await assert.rejects(
      new DockerConfigCredentials({ configPath: path }).get('any.example.com'),
      /docker-credential-does-not-exist is not installed/,
    );
  });

  test('no config file means no credentials', async () => {
    assert.equal(await new DockerConfigCredentials({ configPath: '/nonexistent/config.json' }).get('x.example.com'), undefined);
  });
});
