import * as vscode from 'vscode';
import { isProviderName, type ProviderName } from '../cloud/provider';
import { type DockerConfigCredentials, parseRegistryHost, type RegistrySettings } from '../oci';
import { noticeIgnored, userValue } from './userSettings';
import { errorMessage } from '../text/format';

export interface ConfiguredRegistry {
  url: string;
  label?: string;
  insecure?: boolean;
  caFile?: string;
  /** The cloud that signs in to this registry (its name only: tokens stay in memory). */
  provider?: ProviderName;
  repositories?: string[];
}

export interface RegistryEntry {
  host: string;
  label?: string;
  /** In `ociGitops.registries` (removable), or only known from Docker's config.json. */
  origin: 'settings' | 'docker';
  settings: RegistrySettings;
  repositories: string[];
}

const SECTION = 'ociGitops';

/**
 * The registries to show. A workspace may list registries (url, label, repositories), but a
 * registry's trust fields, `insecure` and `caFile`, count only from the user's settings: in a
 * workspace value they are dropped (with a notice), so a cloned repository cannot turn off TLS
 * checks or add a CA for a registry. What is saved back is this list, so they are never copied
 * into the user's settings either.
 */
export function configuredRegistries(): ConfiguredRegistry[] {
  const effective = vscode.workspace.getConfiguration(SECTION).get<ConfiguredRegistry[]>('registries', []) ?? [];
  const trusted = userRegistryTrust();
  return effective
    .filter((entry) => entry && typeof entry.url === 'string')
    .map((entry) => {
      const { insecure, caFile, provider, ...rest } = entry;
      const host = hostOf(entry.url);
      const trust = host ? trusted.get(host) : undefined;
      const userProvider = host ? userProviderChoice(host) : undefined;
      if ((insecure && !trust?.insecure) || (caFile && caFile !== trust?.caFile) || (provider && provider !== userProvider))
        noticeIgnored(`insecure/caFile/provider of ${host ?? entry.url} in ociGitops.registries`);
      return {
        ...rest,
        ...(trust?.insecure ? { insecure: true } : {}),
        ...(trust?.caFile ? { caFile: trust.caFile } : {}),
        ...(userProvider ? { provider: userProvider } : {}),
      };
    });
}

/**
 * The provider the user's own settings name for a host. Like insecure and caFile it is a trust
 * field: a workspace naming one could send the user's cloud token to a host of its choosing.
 */
export function userProviderChoice(host: string): ProviderName | undefined {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<ConfiguredRegistry[]>('registries');
  for (const entry of Array.isArray(inspected?.globalValue) ? inspected.globalValue : []) {
    if (entry && typeof entry.url === 'string' && hostOf(entry.url) === host) {
      return typeof entry.provider === 'string' && isProviderName(entry.provider) ? entry.provider : undefined;
    }
  }
  return undefined;
}

/** insecure and caFile per host, from the user's own ociGitops.registries. */
function userRegistryTrust(): Map<string, RegistrySettings> {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<ConfiguredRegistry[]>('registries');
  const trust = new Map<string, RegistrySettings>();
  for (const entry of Array.isArray(inspected?.globalValue) ? inspected.globalValue : []) {
    const host = entry && typeof entry.url === 'string' ? hostOf(entry.url) : undefined;
    if (host && !trust.has(host))
      trust.set(host, {
        insecure: entry.insecure === true || undefined,
        caFile: typeof entry.caFile === 'string' ? entry.caFile : undefined,
      });
  }
  return trust;
}

export function hostOf(url: string): string | undefined {
  try {
    return parseRegistryHost(url);
  } catch {
    return undefined;
  }
}

/** Registries to show: the settings' list, then Docker's config.json hosts not already listed. */
export async function registryEntries(docker: DockerConfigCredentials, log: vscode.LogOutputChannel): Promise<RegistryEntry[]> {
  const entries: RegistryEntry[] = [];
  const seen = new Set<string>();
  for (const configured of configuredRegistries()) {
    let host: string;
    try {
      host = parseRegistryHost(configured.url);
    } catch (error) {
      log.warn(`Ignoring an entry of ociGitops.registries: ${errorMessage(error)}`);
      continue;
    }
    if (seen.has(host)) continue;
    seen.add(host);
    entries.push({
      host,
      label: configured.label,
      origin: 'settings',
      settings: settingsFor(host),
      repositories: configured.repositories ?? [],
    });
  }
  if (vscode.workspace.getConfiguration(SECTION).get<boolean>('dockerConfig.enabled', true)) {
    try {
      for (const host of await docker.registries()) {
        if (seen.has(host)) continue;
        seen.add(host);
        entries.push({ host, origin: 'docker', settings: settingsFor(host), repositories: [] });
      }
    } catch (error) {
      log.warn(`Could not read Docker's config.json: ${errorMessage(error)}`);
    }
  }
  return entries;
}

/** What the transport trusts for a registry: from the user's settings only. */
export function settingsFor(host: string): RegistrySettings {
  const trust = userRegistryTrust().get(host) ?? {};
  const realms = userValue<Record<string, unknown>>(SECTION, 'auth.allowedTokenRealms') ?? {};
  const allowed = realms && typeof realms === 'object' ? realms[host] : undefined;
  return { ...trust, tokenRealms: Array.isArray(allowed) ? allowed.filter((r): r is string => typeof r === 'string') : [] };
}

export async function saveRegistries(registries: ConfiguredRegistry[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('registries', registries, vscode.ConfigurationTarget.Global);
}

export function pageSize(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('pageSize', 100);
}

export function timeoutMs(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('requestTimeoutSeconds', 60) * 1000;
}

/** The registries completion offers after `oci://`, with the repositories the user added to each. */
export async function knownRegistries(
  docker: DockerConfigCredentials,
  log: vscode.LogOutputChannel,
): Promise<{ host: string; repositories: string[] }[]> {
  return (await registryEntries(docker, log)).map((entry) => ({ host: entry.host, repositories: entry.repositories }));
}
