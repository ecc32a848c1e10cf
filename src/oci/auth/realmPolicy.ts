import { OciError } from '../errors';
import { DOCKER_HUB_HOST } from '../reference/host';

/**
 * Where a registry's credentials may go when its challenge names a token service (the `realm`).
 *
 * Docker, containerd and oras-go send the stored username and password (or refresh token) to
 * whatever realm the registry's 401 names, so a registry (or whoever answers for it) can collect
 * them for any host it likes. Here they go only to:
 *  - the registry's own host name (any port: Distribution's token server and Harbor, GHCR, GCR,
 *    Artifact Registry, ACR, Quay, Gitea and Artifactory all issue tokens from the registry's host);
 *  - the token services of public registries that live elsewhere: Docker Hub's auth.docker.io and
 *    GitLab.com's gitlab.com for registry.gitlab.com (ECR answers Basic, with no realm);
 *  - hosts the user allowed for that registry (RegistrySettings.tokenRealms: the CLI's
 *    --allow-token-realm, the extension's ociGitops.auth.allowedTokenRealms), e.g. a self-hosted
 *    GitLab whose registry and token service have different names.
 * Anonymous token requests carry no secret and may go to any realm.
 */
const KNOWN_REALMS: Record<string, string[]> = {
  [DOCKER_HUB_HOST]: ['auth.docker.io'],
  'registry.gitlab.com': ['gitlab.com'],
};

function hostname(hostPort: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (bracketed) return bracketed[1].toLowerCase();
  const colon = hostPort.lastIndexOf(':');
  return (colon > 0 && /^\d+$/.test(hostPort.slice(colon + 1)) ? hostPort.slice(0, colon) : hostPort).toLowerCase();
}

/** True when `realm` may receive the credentials of `registry`. */
export function mayReceiveCredentials(registry: string, realm: URL, allowed: string[] = []): boolean {
  const realmHost = realm.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (realmHost === hostname(registry)) return true;
  if ((KNOWN_REALMS[registry] ?? []).includes(realmHost)) return true;
  // An allowed entry with a port matches that port only; without one, any port of the host.
  return allowed.some((entry) => {
    const text = entry
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '');
    return text === realm.host.toLowerCase() || text === realmHost;
  });
}

export function realmRefused(registry: string, realm: URL): OciError {
  return new OciError(
    'CREDENTIALS',
    `Refusing to send the credentials for ${registry} to ${realm.host}: the registry named a token service (realm ${realm.origin}${realm.pathname}) on another host`,
    {
      registry,
      hint: `If ${realm.host} really is ${registry}'s token service, allow it: --allow-token-realm ${realm.host} (CLI) or "${registry}": ["${realm.host}"] in the user setting ociGitops.auth.allowedTokenRealms`,
    },
  );
}
