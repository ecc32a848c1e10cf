import { OciError } from '../errors';
import { withoutTrailingSlashes } from '../../text/trim';

export const DOCKER_HUB_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry.hub.docker.com', DOCKER_HUB_HOST]);

const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+(?:%[a-z0-9]+)?\]$/;

/**
 * Turns what a user types for a registry ("https://Ghcr.io/", "docker.io", "[::1]:5000",
 * "oci://localhost:5000") into the canonical host[:port] the client talks to.
 */
export function parseRegistryHost(input: string): string {
  let text = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (!['http', 'https', 'oci'].includes(name)) {
      throw invalidHost(input, `the scheme "${name}://" is not a registry scheme; use a host name such as ghcr.io or localhost:5000`);
    }
    text = text.slice(scheme[0].length);
  }
  text = withoutTrailingSlashes(text);
  if (text.includes('/')) {
    throw invalidHost(input, 'a registry is a host name with an optional port, without a path (the path is the repository)');
  }
  if (text.includes('@')) {
    throw invalidHost(input, 'do not put credentials in the registry address; sign in instead');
  }
  return normalizeHost(text, input);
}

export function normalizeHost(hostPort: string, original: string = hostPort): string {
  const lowered = hostPort.toLowerCase();
  if (lowered === '') throw invalidHost(original, 'the registry host is empty');
  let host: string;
  let port: string | undefined;
  if (lowered.startsWith('[')) {
    const close = lowered.indexOf(']');
    if (close < 0) throw invalidHost(original, 'an IPv6 address must be closed with "]"');
    host = lowered.slice(0, close + 1);
    const rest = lowered.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw invalidHost(original, 'expected ":port" after the IPv6 address');
      port = rest.slice(1);
    }
    if (!IPV6.test(host)) throw invalidHost(original, `"${host}" is not a valid IPv6 address`);
  } else {
    const parts = lowered.split(':');
    if (parts.length > 2) throw invalidHost(original, 'an IPv6 address must be written in brackets, e.g. [::1]:5000');
    host = parts[0];
    port = parts[1];
    if (!HOSTNAME.test(host)) throw invalidHost(original, `"${host}" is not a valid host name`);
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!/^[0-9]{1,5}$/.test(port) || n < 1 || n > 65535) throw invalidHost(original, `"${port}" is not a valid port (1-65535)`);
  }
  const joined = port === undefined ? host : `${host}:${port}`;
  return DOCKER_HUB_ALIASES.has(joined) ? DOCKER_HUB_HOST : joined;
}

/** Loopback registries may be spoken to over plain HTTP without the user marking them insecure. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function isDockerHub(host: string): boolean {
  return host === DOCKER_HUB_HOST;
}

function invalidHost(input: string, why: string): OciError {
  return new OciError('INVALID_REFERENCE', `Invalid registry "${input}": ${why}`);
}
