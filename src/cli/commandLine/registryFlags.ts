import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../../cloud/provider';
import { UsageError } from '../usage';
import { parsedFlag, repeatedFlag, switchFlag, valueFlag, wholeNumber, type FlagGroup, type Options } from './flag';

const insecure = switchFlag('insecure', 'Allow plain HTTP to the registry (loopback registries need no flag)');
const caFile = valueFlag('ca-file', '<path>', 'Trust the CA certificates in this PEM file for the registry');
const allowTokenRealm = repeatedFlag(
  'allow-token-realm',
  '<host>',
  "Let this token service receive the registry's credentials although it is on another host (the registry's own host, auth.docker.io for Docker Hub and gitlab.com for registry.gitlab.com need no flag); repeatable",
);
/** Seconds a registry may stay silent; every request must finish within three times that. */
const timeout = parsedFlag(
  'timeout',
  '<seconds>',
  'Longest silence from the registry (default 60); each request, retries included, must finish within three times that, and a listing within ten',
  wholeNumber('timeout', 1, 3600, 'a whole number of seconds'),
);
const dockerConfig = valueFlag('docker-config', '<path>', 'Docker config.json to read credentials from (default: ~/.docker/config.json)');
const username = valueFlag('username', '<name>', 'Sign in with this user; read the password or token from stdin', {
  short: 'u',
  check: (o) => {
    if (o.username && !o['password-stdin'])
      throw new UsageError('--username needs --password-stdin (passwords are never taken on the command line)');
  },
});
const passwordStdin = switchFlag('password-stdin', 'Read the password from stdin (with --username)', {
  check: (o) => {
    if (o['password-stdin'] && !o.username) throw new UsageError('--password-stdin needs --username');
  },
});

/** A provider's name as a flag takes it (--provider, --from-provider, --to-provider). */
export function providerName(flag: string): (raw: string | undefined) => ProviderName | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    if (!isProviderName(raw)) throw new UsageError(`--${flag} takes ${PROVIDER_NAMES.join(', ')} (not "${raw}")`);
    return raw;
  };
}

export const PROVIDER_VALUE = `<${PROVIDER_NAMES.join('|')}>`;

const provider = parsedFlag(
  'provider',
  PROVIDER_VALUE,
  "Sign in through this cloud's own login (AWS profile or SSO, Azure, Google Application Default Credentials, GitHub token), on any host; without it a cloud registry's host picks its provider when neither --username nor the Docker config gives a login",
  providerName('provider'),
  {
    check: (o) => {
      if (o.provider && o.username) throw new UsageError('--provider signs in through the cloud: give either it or --username');
    },
  },
);

/** How to reach a registry: its TLS, where its tokens may go, how long to wait. */
const connectionFlags = [insecure, caFile, allowTokenRealm, timeout];

/** Every command that speaks to a registry takes these (clientFromOptions reads them). */
export const registryFlags = {
  title: 'Registry options',
  flags: [...connectionFlags, username, passwordStdin, dockerConfig, provider],
} satisfies FlagGroup;

/**
 * For commands that reach any registry a file or an agent names (validate --live, mcp): no login of
 * their own, the Docker config's credentials serve every registry, and these options apply to all.
 */
export const dockerLoginRegistryFlags = {
  title: 'Registry options (for every registry reached; logins from the Docker config)',
  flags: [...connectionFlags, dockerConfig],
} satisfies FlagGroup;

export type RegistryOptions = Options<[typeof registryFlags]>;
export type DockerLoginRegistryOptions = Options<[typeof dockerLoginRegistryFlags]>;
