import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { describe, test } from 'node:test';
import { folderKey, hostPathOf, insideFolder, isLocalPathArgument } from '../../src/artifact/hostPaths';
import { normaliseFolderKey, readPushTargets } from '../../src/artifact/pushTargets';
import { IgnoreRules } from '../../src/artifact/sourceIgnore';
import { dockerConfigPath, DockerConfigCredentials } from '../../src/oci';
import { findCredentialHelper } from '../../src/oci/auth/credentialHelper';
import { writeKeyFile } from '../../src/signing/keyFileWrite';

/**
 * Windows, macOS and Linux rules, checked on Linux: the path logic takes the platform's path
 * module (path.win32, path.posix) and the credential and key-file code the platform's name, so
 * what differs on each desktop is tested here without that machine.
 */
const PLATFORMS = [
  { name: 'win32', paths: path.win32, root: 'C:\\Users\\ada\\fleet' },
  { name: 'darwin', paths: path.posix, root: '/Users/ada/fleet' },
  { name: 'linux', paths: path.posix, root: '/home/ada/fleet' },
] as const;

describe('artifact paths meet host paths the same way on every platform', () => {
  for (const { name, paths, root } of PLATFORMS) {
    test(`${name}: an artifact path lands inside the folder, its own separators used`, () => {
      const target = hostPathOf(root, 'apps/web/deploy.yaml', paths);
      assert.equal(target, paths.join(root, 'apps', 'web', 'deploy.yaml'));
      assert.ok(insideFolder(root, target, paths));
      assert.ok(!insideFolder(root, root, paths), 'the folder itself is not inside it');
      assert.ok(!insideFolder(root, paths.join(root, '..', 'other'), paths));
      assert.ok(insideFolder(root, paths.join(root, '..foo'), paths), 'a name starting with two dots is a name');
    });

    test(`${name}: a folder's .oci-gitops.yaml key has "/" separators`, () => {
      assert.equal(folderKey(root, paths.join(root, 'deploy', 'prod'), paths), 'deploy/prod');
      assert.equal(folderKey(root, root, paths), '.');
      assert.throws(() => folderKey(root, paths.join(root, '..', 'elsewhere'), paths), /is not inside/);
    });
  }

  test('win32: another drive, a drive in another case, and "/" written by the user', () => {
    const root = 'C:\\Users\\ada\\fleet';
    assert.ok(!insideFolder(root, 'D:\\Users\\ada\\fleet\\x.yaml', path.win32), 'a symlink to another drive is outside');
    assert.ok(insideFolder(root, 'c:\\users\\ADA\\fleet\\x.yaml', path.win32), 'Windows compares drives and folders ignoring case');
    assert.equal(folderKey(root, 'C:/Users/ada/fleet/deploy/prod', path.win32), 'deploy/prod');
    assert.equal(hostPathOf('C:\\out', 'a/b.yaml', path.win32), 'C:\\out\\a\\b.yaml');
  });

  test('posix: a backslash is part of a name, not a separator', () => {
    assert.equal(folderKey('/w', '/w/odd\\name', path.posix), 'odd\\name');
  });

  test('a .oci-gitops.yaml key written with "\\" or "./" means the folder folderKey names', async () => {
    assert.equal(normaliseFolderKey('deploy\\prod'), 'deploy/prod');
    assert.equal(normaliseFolderKey('./deploy/prod/'), 'deploy/prod');
    assert.equal(normaliseFolderKey('.\\'), '.');
    const root = mkdtempSync(join(tmpdir(), 'targets-win-'));
    writeFileSync(join(root, '.oci-gitops.yaml'), 'push:\r\n  deploy\\prod:\r\n    reference: ghcr.io/org/prod:1.0.0\r\n');
    assert.deepEqual(await readPushTargets(root), { 'deploy/prod': { reference: 'ghcr.io/org/prod:1.0.0' } });
  });

  test('CLI arguments: Windows paths with drive letters and "\\" are folders, references are not', () => {
    for (const input of ['C:\\fleet\\apps', 'c:/fleet', '\\\\server\\share\\apps', '.\\apps', 'apps\\prod', '..', './apps'])
      assert.ok(isLocalPathArgument(input, path.win32), input);
    for (const input of ['/srv/apps', './apps', '../apps', '.'])
      for (const paths of [path.posix, path.win32]) assert.ok(isLocalPathArgument(input, paths), `${input} (${paths.sep})`);
    for (const input of ['localhost:5000/fleet/apps:1.0.0', 'ghcr.io/org/apps@sha256:' + 'a'.repeat(64), 'c:5000/apps:1'])
      for (const paths of [path.posix, path.win32]) assert.ok(!isLocalPathArgument(input, paths), `${input} (${paths.sep})`);
  });
});

describe('.sourceignore written on Windows', () => {
  test('CRLF line endings match as LF ones do', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ignore-crlf-'));
    writeFileSync(join(root, '.sourceignore'), '# secrets\r\n*.key\r\nbuild/\r\n!keep.key\r\n');
    const rules = new IgnoreRules();
    await rules.loadFrom(root, '');
    assert.deepEqual(
      ['a.key', 'keep.key', 'build/', 'apps/build/', 'deploy.yaml'].filter((p) => rules.ignores(p)),
      ['a.key', 'build/', 'apps/build/'],
    );
  });
});

describe('Docker config and credential helpers where Docker Desktop puts them', () => {
  test('config.json is in %USERPROFILE%\\.docker on Windows and $HOME/.docker on macOS and Linux; DOCKER_CONFIG wins', () => {
    assert.equal(dockerConfigPath({ USERPROFILE: 'C:\\Users\\ada', HOME: '/ignored' }, 'win32'), 'C:\\Users\\ada\\.docker\\config.json');
    assert.equal(dockerConfigPath({ HOME: '/Users/ada', USERPROFILE: 'ignored' }, 'darwin'), '/Users/ada/.docker/config.json');
    assert.equal(dockerConfigPath({ HOME: '/home/ada' }, 'linux'), '/home/ada/.docker/config.json');
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: 'D:\\docker', USERPROFILE: 'C:\\Users\\ada' }, 'win32'), 'D:\\docker\\config.json');
  });

  /** A folder on PATH with docker-credential-<name> scripts that print which helper answered. */
  function helpers(...programs: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'helpers-'));
    for (const program of programs) {
      const file = join(dir, program);
      writeFileSync(file, `#!/bin/sh\nread server\necho "{\\"Username\\":\\"${program}\\",\\"Secret\\":\\"for-$server\\"}"\n`);
      chmodSync(file, 0o755);
    }
    return dir;
  }
  function config(content: object): string {
    const file = join(mkdtempSync(join(tmpdir(), 'docker-config-')), 'config.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  }

  test('win32: credsStore "desktop" runs docker-credential-desktop.exe found on Path', async () => {
    const bin = helpers('docker-credential-desktop.exe');
    const creds = new DockerConfigCredentials({ configPath: config({ credsStore: 'desktop' }), platform: 'win32', env: { Path: bin } });
    assert.deepEqual(await creds.get('ghcr.io'), { username: 'docker-credential-desktop.exe', password: 'for-ghcr.io' });
  });

  test('win32: with no login in config.json, docker-credential-wincred.exe is the default store', async () => {
    const bin = helpers('docker-credential-wincred.exe');
    const creds = new DockerConfigCredentials({ configPath: config({}), platform: 'win32', env: { Path: bin, PATHEXT: '.COM;.EXE' } });
    assert.deepEqual(await creds.get('registry.example.com'), {
      username: 'docker-credential-wincred.exe',
      password: 'for-registry.example.com',
    });
  });

  test('darwin: with no login in config.json, docker-credential-osxkeychain is the default store', async () => {
    const bin = helpers('docker-credential-osxkeychain');
    const creds = new DockerConfigCredentials({ configPath: config({}), platform: 'darwin', env: { PATH: bin } });
    assert.deepEqual(await creds.get('ghcr.io'), { username: 'docker-credential-osxkeychain', password: 'for-ghcr.io' });
  });

  test('a config that holds logins does not fall back to the default store, nor does Linux', async () => {
    const bin = helpers('docker-credential-osxkeychain', 'docker-credential-wincred.exe', 'docker-credential-secretservice');
    const withLogin = config({ auths: { 'other.example.com': { auth: Buffer.from('a:b').toString('base64') } } });
    assert.equal(
      await new DockerConfigCredentials({ configPath: withLogin, platform: 'darwin', env: { PATH: bin } }).get('ghcr.io'),
      undefined,
    );
    assert.equal(
      await new DockerConfigCredentials({ configPath: config({}), platform: 'linux', env: { PATH: bin } }).get('ghcr.io'),
      undefined,
    );
  });

  test('a helper is found on Windows only under a PATHEXT extension, elsewhere only when executable', () => {
    const bin = helpers('docker-credential-wincred.exe', 'docker-credential-pass');
    chmodSync(join(bin, 'docker-credential-pass'), 0o644);
    assert.equal(findCredentialHelper('wincred', { Path: bin }, 'win32'), `${bin}/docker-credential-wincred.exe`);
    assert.equal(findCredentialHelper('wincred', { PATH: bin }, 'linux'), undefined);
    assert.equal(findCredentialHelper('pass', { PATH: bin }, 'linux'), undefined, 'not executable');
  });
});

describe('key files written by keygen are private on every platform', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'keys-'));

  test('win32: the private key gets a user-only ACL from icacls before any byte is written', () => {
    const calls: { args: string[]; size: number }[] = [];
    const key = join(folder(), 'cosign.key');
    const warning = writeKeyFile(key, 'PRIVATE', 0o600, {
      platform: 'win32',
      env: { USERNAME: 'ada', USERDOMAIN: 'CORP' },
      icacls: (args) => calls.push({ args, size: statSync(args[0]).size }),
    });
    assert.equal(warning, undefined);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].args.slice(1), ['/inheritance:r', '/grant:r', 'CORP\\ada:F']);
    assert.equal(calls[0].size, 0, 'the ACL is set while the file is still empty');
    assert.equal(readFileSync(key, 'utf8'), 'PRIVATE');
  });

  test('win32: the public key is left readable (no icacls)', () => {
    let ran = false;
    writeKeyFile(join(folder(), 'cosign.pub'), 'PUBLIC', 0o644, {
      platform: 'win32',
      env: { USERNAME: 'ada' },
      icacls: () => (ran = true),
    });
    assert.equal(ran, false);
  });

  test('win32: when icacls fails (here: there is none) the user is told the key is not protected and how to fix it', () => {
    const key = join(folder(), 'cosign.key');
    const warning = writeKeyFile(key, 'PRIVATE', 0o600, { platform: 'win32', env: { USERNAME: 'ada' } });
    assert.match(warning ?? '', /cosign\.key is readable by whoever can read its folder: icacls could not set a user-only ACL/);
    assert.match(warning ?? '', /icacls ".*cosign\.key" \/inheritance:r \/grant:r "%USERNAME%:F"/);
    assert.equal(readFileSync(key, 'utf8'), 'PRIVATE', 'the key is still written');
  });

  for (const platform of ['darwin', 'linux'] as const) {
    test(`${platform}: the private key is mode 0600 and no ACL tool runs`, () => {
      let ran = false;
      const key = join(folder(), 'cosign.key');
      assert.equal(writeKeyFile(key, 'PRIVATE', 0o600, { platform, icacls: () => (ran = true) }), undefined);
      assert.equal(ran, false);
      assert.equal(statSync(key).mode & 0o777, 0o600);
    });
  }
});
