import { execFile } from 'node:child_process';
import { OciError } from '../errors';
import type { Credential } from './credentials';

/**
 * Runs `docker-credential-<helper> get` as Docker does: the server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout. A Username of "<token>" marks an identity token.
 */
export function runCredentialHelper(helper: string, serverUrl: string, signal?: AbortSignal): Promise<Credential | undefined> {
  if (!/^[a-zA-Z0-9_.-]+$/.test(helper)) {
    return Promise.reject(new OciError('CREDENTIALS', `Docker credential helper name "${helper}" is not valid`));
  }
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { timeout: 15_000, signal, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
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
