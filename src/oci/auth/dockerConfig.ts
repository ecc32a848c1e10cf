import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { OciError } from '../errors';
import { DOCKER_HUB_HOST, parseRegistryHost } from '../reference/host';
import { findCredentialHelper, runCredentialHelper } from './credentialHelper';
import type { Credential, CredentialProvider } from './credentials';
import { errorMessage } from '../../text/format';

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface DockerConfigOptions {
  /** Path of config.json; default `dockerConfigPath(env, platform)`. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Whose conventions to follow (where the config is, which helper is the default); default this host's. */
  platform?: NodeJS.Platform;
}

/**
 * Where the docker CLI reads config.json (docker/cli cli/config/config.go): `$DOCKER_CONFIG`, else
 * `.docker` in the home folder, which Go's os.UserHomeDir takes from %USERPROFILE% on Windows (where
 * Docker Desktop writes it) and $HOME elsewhere.
 */
export function dockerConfigPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
  return paths.join(env.DOCKER_CONFIG || paths.join(home, '.docker'), 'config.json');
}

/**
 * The credential store docker uses when config.json names none and holds no login
 * (docker/cli cli/config/credentials/default_store_windows.go, _darwin.go, DetectDefaultStore):
 * wincred on Windows and osxkeychain on macOS, when its docker-credential-<name> is installed.
 * (Linux's default depends on pass's state; a Linux login is read from config.json as before.)
 */
function platformDefaultStore(platform: NodeJS.Platform): string | undefined {
  return platform === 'win32' ? 'wincred' : platform === 'darwin' ? 'osxkeychain' : undefined;
}

/** Docker Hub's credentials are filed under this legacy key by `docker login`. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** Reads credentials the way the docker CLI does: `auths`, then `credHelpers`, then `credsStore`. */
export class DockerConfigCredentials implements CredentialProvider {
  readonly configPath: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly platform: NodeJS.Platform;

  constructor(options: DockerConfigOptions = {}) {
    this.env = options.env ?? process.env;
    this.platform = options.platform ?? process.platform;
    this.configPath = options.configPath ?? dockerConfigPath(this.env, this.platform);
  }

  /** Registry hosts the config knows about (for showing them in the explorer). */
  async registries(): Promise<string[]> {
    const config = await this.read();
    const hosts = new Set<string>();
    for (const key of [...Object.keys(config.auths ?? {}), ...Object.keys(config.credHelpers ?? {})]) {
      const host = hostOfKey(key);
      if (host) hosts.add(host);
    }
    return [...hosts].sort();
  }

  async get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const config = await this.read();
    const host = { env: this.env, platform: this.platform, signal };
    const helper = findByHost(config.credHelpers, registry);
    if (helper) return runCredentialHelper(helper, serverUrlFor(registry), host);
    const entry = findByHost(config.auths, registry);
    if (entry) {
      const fromEntry = credentialFromEntry(entry, this.configPath, registry);
      if (fromEntry) return fromEntry;
    }
    if (config.credsStore) return runCredentialHelper(config.credsStore, serverUrlFor(registry), host);
    if (!config.auths && !config.credHelpers) {
      const store = platformDefaultStore(this.platform);
      if (store && findCredentialHelper(store, this.env, this.platform)) return runCredentialHelper(store, serverUrlFor(registry), host);
    }
    return undefined;
  }

  private async read(): Promise<DockerConfigFile> {
    let text: string;
    try {
      text = await readFile(this.configPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new OciError('CREDENTIALS', `Could not read Docker config ${this.configPath}: ${errorMessage(error)}`);
    }
    try {
      return JSON.parse(text) as DockerConfigFile;
    } catch {
      throw new OciError('CREDENTIALS', `Docker config ${this.configPath} is not valid JSON`, {
        hint: 'Fix the file or run docker login again',
      });
    }
  }
}

function credentialFromEntry(
  entry: NonNullable<DockerConfigFile['auths']>[string],
  path: string,
  registry: string,
): Credential | undefined {
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new OciError('CREDENTIALS', `The "auth" entry for ${registry} in ${path} is not base64 of "username:password"`, {
        hint: 'Run docker login again',
      });
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken) return { username, identityToken: entry.identitytoken };
  if (entry.registrytoken) return { registryToken: entry.registrytoken };
  if (password) return { username, password };
  return undefined;
}

function findByHost<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (!map) return undefined;
  for (const [key, value] of Object.entries(map)) {
    if (hostOfKey(key) === registry) return value;
  }
  return undefined;
}

function hostOfKey(key: string): string | undefined {
  try {
    const withoutPath = key.replace(/^([a-z]+:\/\/)?([^/]+).*$/i, '$1$2');
    return parseRegistryHost(withoutPath);
  } catch {
    return undefined;
  }
}

function serverUrlFor(registry: string): string {
  return registry === DOCKER_HUB_HOST ? DOCKER_HUB_KEY : registry;
}
