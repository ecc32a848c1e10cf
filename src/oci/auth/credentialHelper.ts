import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { OciError } from '../errors';
import type { Credential } from './credentials';

export interface HelperHost {
  env?: NodeJS.ProcessEnv;
  /** Whose program names and PATH rules to follow; default this host's. */
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
}

/**
 * The program docker runs for a helper, found on PATH as Go's exec.LookPath does: on Windows
 * `docker-credential-<name>` with each PATHEXT extension (Docker Desktop installs
 * docker-credential-desktop.exe and docker-credential-wincred.exe), elsewhere the executable file.
 */
export function findCredentialHelper(helper: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const windows = platform === 'win32';
  const program = `docker-credential-${helper}`;
  // An environment without PATH (the CLI's tests give one) searches the process's, as execFile would.
  const searchPath = (windows ? (env.Path ?? env.PATH) : env.PATH) ?? process.env.PATH ?? '';
  const extensions = windows ? (env.PATHEXT || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  for (const dir of searchPath.split(windows ? ';' : ':').filter(Boolean)) {
    for (const extension of extensions) {
      // Windows takes "/" as a separator too; its file names ignore case, and the installers write lower case.
      const candidate = `${dir.replace(windows ? /[\\/]+$/ : /\/+$/, '')}/${program}${extension.toLowerCase()}`;
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!windows) accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not there, or not executable: look further.
      }
    }
  }
  return undefined;
}

/**
 * Runs `docker-credential-<helper> get` as Docker does: the server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout. A Username of "<token>" marks an identity token.
 */
export function runCredentialHelper(helper: string, serverUrl: string, host: HelperHost = {}): Promise<Credential | undefined> {
  if (!/^[a-zA-Z0-9_.-]+$/.test(helper)) {
    return Promise.reject(new OciError('CREDENTIALS', `Docker credential helper name "${helper}" is not valid`));
  }
  const env = host.env ?? process.env;
  const program = `docker-credential-${helper}`;
  const found = findCredentialHelper(helper, env, host.platform ?? process.platform);
  return new Promise((resolve, reject) => {
    const run = found ?? program;
    const child = execFile(run, ['get'], { timeout: 15_000, signal: host.signal, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const said = `${stdout}${stderr}`;
        if (/credentials not found|not found in native keychain/i.test(said)) {
          resolve(undefined);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? `${program} is not installed or not on PATH`
            : `${program} failed: ${said.trim().slice(0, 200) || error.message}`;
        reject(
          new OciError('CREDENTIALS', `Could not read credentials for ${serverUrl} from Docker's credential helper: ${why}`, {
            hint: "Fix or remove the credHelpers/credsStore entry in Docker's config.json, or sign in with a username and password instead",
          }),
        );
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!parsed.Secret) {
          resolve(undefined);
        } else if (parsed.Username === '<token>') {
          resolve({ identityToken: parsed.Secret });
        } else {
          resolve({ username: parsed.Username, password: parsed.Secret });
        }
      } catch {
        reject(new OciError('CREDENTIALS', `${program} printed something that is not JSON credentials`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}
