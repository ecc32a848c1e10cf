import * as vscode from 'vscode';
import { DockerConfigCredentials, parseRegistryHost, type RegistrySettings } from '../oci';

export interface ConfiguredRegistry {
  url: string;
  label?: string;
  insecure?: boolean;
  caFile?: string;
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

export function configuredRegistries(): ConfiguredRegistry[] {
  return vscode.workspace.getConfiguration(SECTION).get<ConfiguredRegistry[]>('registries', []) ?? [];
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
      log.warn(`Ignoring an entry of ociGitops.registries: ${(error as Error).message}`);
      continue;
    }
    if (seen.has(host)) continue;
    seen.add(host);
    entries.push({
      host,
      label: configured.label,
      origin: 'settings',
      settings: { insecure: configured.insecure, caFile: configured.caFile },
      repositories: configured.repositories ?? [],
    });
  }
  if (vscode.workspace.getConfiguration(SECTION).get<boolean>('dockerConfig.enabled', true)) {
    try {
      for (const host of await docker.registries()) {
        if (seen.has(host)) continue;
        seen.add(host);
        entries.push({ host, origin: 'docker', settings: {}, repositories: [] });
      }
    } catch (error) {
      log.warn(`Could not read Docker's config.json: ${(error as Error).message}`);
    }
  }
  return entries;
}

export function settingsFor(host: string): RegistrySettings {
  for (const configured of configuredRegistries()) {
    try {
      if (parseRegistryHost(configured.url) === host) return { insecure: configured.insecure, caFile: configured.caFile };
    } catch {
      // An invalid entry is reported when the tree lists registries.
    }
  }
  return {};
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
