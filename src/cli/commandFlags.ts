import { UsageError } from './usage';

/** What every command that speaks to a registry takes (clientFromOptions reads them). */
const REGISTRY = ['insecure', 'ca-file', 'allow-token-realm', 'timeout', 'username', 'password-stdin', 'docker-config'];
const SIDES = ['from', 'to'].flatMap((side) =>
  ['username', 'password-stdin', 'docker-config', 'insecure', 'ca-file', 'allow-token-realm'].map((flag) => `${side}-${flag}`),
);

/**
 * The flags each command takes, by their long names. The command line is parsed once for all
 * commands (options.ts); a flag the command does not read is then a usage error, rather than
 * silently ignored (`tags --json` would otherwise print plain lines to a script expecting JSON).
 */
export const COMMAND_FLAGS: Record<string, readonly string[]> = {
  repos: [...REGISTRY, 'page-size'],
  tags: [...REGISTRY, 'page-size', 'semver', 'semver-filter', 'argo', 'helm'],
  inspect: [...REGISTRY, 'json'],
  push: [...REGISTRY, 'tag', 'format', 'source', 'revision', 'annotation', 'force', 'resolve-symlinks', 'allow-nonportable-names', 'json'],
  pull: [...REGISTRY],
  diff: [...REGISTRY, 'json'],
  copy: [...REGISTRY, ...SIDES, 'referrers', 'tag', 'force', 'json'],
  keygen: ['force'],
  sign: [
    ...REGISTRY,
    'key',
    'notation-key',
    'notation-cert',
    'keyless',
    'fulcio-url',
    'rekor-url',
    'identity-token-file',
    'oidc-issuer',
    'json',
  ],
  verify: [...REGISTRY, 'key', 'notation-trust', 'trusted-root', 'certificate-identity-regexp', 'certificate-oidc-issuer-regexp', 'json'],
  // validate reads no login of its own: --live uses the Docker config's credentials.
  // mcp's registry options apply to every registry its tools reach, as validate --live's do.
  mcp: ['allow-write', 'root', 'insecure', 'ca-file', 'allow-token-realm', 'timeout', 'docker-config'],
  validate: ['live', 'format', 'insecure', 'ca-file', 'allow-token-realm', 'timeout', 'docker-config'],
};

/** Throws a UsageError naming the first flag `command` does not take; commands not in the table are left to the caller. */
export function checkFlagsTaken(command: string | undefined, given: readonly string[]): void {
  if (command === undefined || !Object.hasOwn(COMMAND_FLAGS, command)) return;
  const taken = new Set(['help', ...COMMAND_FLAGS[command]]);
  const extra = given.find((flag) => !taken.has(flag));
  if (extra !== undefined) throw new UsageError(`${command} does not take --${extra}`);
}
