import { parseArgs } from 'node:util';
import { checkFlagsTaken } from './commandFlags';
import { UsageError } from './usage';
import { errorMessage } from '../text/format';

/** The registry options of one side of a copy, each given only when its --from-/--to- flag was. */
export interface SideOptions {
  username?: string;
  passwordStdin: boolean;
  dockerConfig?: string;
  insecure: boolean;
  caFile?: string;
  allowTokenRealms?: string[];
}

export interface CommonOptions {
  insecure: boolean;
  caFile?: string;
  /** Token-service hosts allowed to receive the registry's credentials besides its own host. */
  allowTokenRealms: string[];
  /** Seconds a registry may stay silent; every request must finish within three times that. */
  timeoutSeconds?: number;
  username?: string;
  passwordStdin: boolean;
  dockerConfig?: string;
  json: boolean;
  pageSize: number;
  help: boolean;
  tags: string[];
  format?: string;
  source?: string;
  revision?: string;
  annotations: Record<string, string>;
  force: boolean;
  resolveSymlinks: boolean;
  /** push: pack names that are not one file on every desktop (a Linux-only folder), with a warning. */
  allowNonportableNames: boolean;
  /** Signing: cosign key files (sign takes one cosign.key; verify any number of cosign.pub). */
  keys: string[];
  notationKey?: string;
  notationCert?: string;
  notationTrust?: string;
  /** validate: also ask the registries (tags exist, digests, signatures, layer types). */
  live: boolean;
  /** Sigstore keyless: sign with a Fulcio certificate; verify against a trusted root and OIDC identities. */
  keyless: boolean;
  fulcioUrl?: string;
  rekorUrl?: string;
  identityTokenFile?: string;
  oidcIssuer?: string;
  certificateIdentityRegexps: string[];
  certificateOidcIssuerRegexps: string[];
  trustedRoot?: string;
  /** copy: also copy what refers to the artifact. */
  referrers: boolean;
  /** tags: only the versions that satisfy this Masterminds constraint, newest first. */
  semver?: string;
  /** tags --semver: Flux's semverFilter, a Go regular expression applied to tags first. */
  semverFilter?: string;
  /** tags --semver: Argo CD's reading of the constraint instead of Flux's. */
  argo: boolean;
  /** tags --semver --argo: the repository holds a Helm chart (`_` in a tag stands for `+`). */
  helm: boolean;
  /** mcp: offer the write tools (push, sign, copy, delete). */
  allowWrite: boolean;
  /** mcp: folders the tools may read and push from. */
  roots: string[];
  /** copy: the source's and the destination's own registry options (--from-…, --to-…). */
  from: SideOptions;
  to: SideOptions;
}

export interface ParsedCommand {
  command?: string;
  positionals: string[];
  options: CommonOptions;
}

/** Every flag of the command line; commandFlags.ts says which commands take each. */
export const OPTIONS = {
  insecure: { type: 'boolean', default: false },
  'ca-file': { type: 'string' },
  'allow-token-realm': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  username: { type: 'string', short: 'u' },
  'password-stdin': { type: 'boolean', default: false },
  'docker-config': { type: 'string' },
  json: { type: 'boolean', default: false },
  'page-size': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  tag: { type: 'string', short: 't', multiple: true },
  format: { type: 'string' },
  source: { type: 'string' },
  revision: { type: 'string' },
  annotation: { type: 'string', short: 'a', multiple: true },
  force: { type: 'boolean', default: false },
  'resolve-symlinks': { type: 'boolean', default: false },
  'allow-nonportable-names': { type: 'boolean', default: false },
  key: { type: 'string', multiple: true },
  'notation-key': { type: 'string' },
  'notation-cert': { type: 'string' },
  'notation-trust': { type: 'string' },
  live: { type: 'boolean', default: false },
  keyless: { type: 'boolean', default: false },
  'fulcio-url': { type: 'string' },
  'rekor-url': { type: 'string' },
  'identity-token-file': { type: 'string' },
  'oidc-issuer': { type: 'string' },
  'certificate-identity-regexp': { type: 'string', multiple: true },
  'certificate-oidc-issuer-regexp': { type: 'string', multiple: true },
  'trusted-root': { type: 'string' },
  referrers: { type: 'boolean', default: false },
  semver: { type: 'string' },
  'semver-filter': { type: 'string' },
  argo: { type: 'boolean', default: false },
  helm: { type: 'boolean', default: false },
  'allow-write': { type: 'boolean', default: false },
  root: { type: 'string', multiple: true },
  ...sideFlags('from'),
  ...sideFlags('to'),
} as const;

export function parseCommandLine(argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const values = parsed.values;
  if (!values.help) {
    const given = parsed.tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : []));
    checkFlagsTaken(parsed.positionals[0], given);
  }
  let pageSize = 1000;
  if (values['page-size'] !== undefined) {
    pageSize = Number(values['page-size']);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000)
      throw new UsageError('--page-size takes a whole number from 1 to 10000');
  }
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600)
      throw new UsageError('--timeout takes a whole number of seconds from 1 to 3600');
  }
  if (values['password-stdin'] && !values.username) throw new UsageError('--password-stdin needs --username');
  if (values.username && !values['password-stdin'])
    throw new UsageError('--username needs --password-stdin (passwords are never taken on the command line)');
  const annotations: Record<string, string> = {};
  for (const pair of values.annotation ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--annotation takes key=value; got "${pair}"`);
    annotations[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const from = sideOptions(values, 'from');
  const to = sideOptions(values, 'to');
  if (from.passwordStdin && to.passwordStdin)
    throw new UsageError(
      "stdin holds one password: give --from-password-stdin or --to-password-stdin, and the other registry's login through --docker-config",
    );
  if (values['password-stdin'] && (from.passwordStdin || to.passwordStdin))
    throw new UsageError('stdin holds one password: --password-stdin cannot be combined with --from-password-stdin or --to-password-stdin');
  const [command, ...positionals] = parsed.positionals;
  return {
    command,
    positionals,
    options: {
      insecure: values.insecure ?? false,
      caFile: values['ca-file'],
      allowTokenRealms: values['allow-token-realm'] ?? [],
      timeoutSeconds,
      username: values.username,
      passwordStdin: values['password-stdin'] ?? false,
      dockerConfig: values['docker-config'],
      json: values.json ?? false,
      pageSize,
      help: values.help ?? false,
      tags: values.tag ?? [],
      format: values.format,
      source: values.source,
      revision: values.revision,
      annotations,
      force: values.force ?? false,
      resolveSymlinks: values['resolve-symlinks'] ?? false,
      allowNonportableNames: values['allow-nonportable-names'] ?? false,
      keys: values.key ?? [],
      notationKey: values['notation-key'],
      notationCert: values['notation-cert'],
      notationTrust: values['notation-trust'],
      live: values.live ?? false,
      keyless: values.keyless ?? false,
      fulcioUrl: values['fulcio-url'],
      rekorUrl: values['rekor-url'],
      identityTokenFile: values['identity-token-file'],
      oidcIssuer: values['oidc-issuer'],
      certificateIdentityRegexps: values['certificate-identity-regexp'] ?? [],
      certificateOidcIssuerRegexps: values['certificate-oidc-issuer-regexp'] ?? [],
      trustedRoot: values['trusted-root'],
      referrers: values.referrers ?? false,
      semver: values.semver,
      semverFilter: values['semver-filter'],
      argo: values.argo ?? false,
      helm: values.helm ?? false,
      allowWrite: values['allow-write'] ?? false,
      roots: values.root ?? [],
      from,
      to,
    },
  };
}

type Side = 'from' | 'to';

function sideFlags<S extends Side>(side: S) {
  return {
    [`${side}-username`]: { type: 'string' },
    [`${side}-password-stdin`]: { type: 'boolean', default: false },
    [`${side}-docker-config`]: { type: 'string' },
    [`${side}-insecure`]: { type: 'boolean', default: false },
    [`${side}-ca-file`]: { type: 'string' },
    [`${side}-allow-token-realm`]: { type: 'string', multiple: true },
  } as const satisfies Record<string, { type: 'string' | 'boolean'; default?: boolean; multiple?: boolean }>;
}

function sideOptions(values: Record<string, string | boolean | string[] | undefined>, side: Side): SideOptions {
  const username = values[`${side}-username`] as string | undefined;
  const passwordStdin = (values[`${side}-password-stdin`] as boolean | undefined) ?? false;
  if (passwordStdin && !username) throw new UsageError(`--${side}-password-stdin needs --${side}-username`);
  if (username && !passwordStdin)
    throw new UsageError(`--${side}-username needs --${side}-password-stdin (passwords are never taken on the command line)`);
  return {
    username,
    passwordStdin,
    dockerConfig: values[`${side}-docker-config`] as string | undefined,
    insecure: (values[`${side}-insecure`] as boolean | undefined) ?? false,
    caFile: values[`${side}-ca-file`] as string | undefined,
    allowTokenRealms: values[`${side}-allow-token-realm`] as string[] | undefined,
  };
}

export function expectPositionals(positionals: string[], names: string[], command: string): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(
      `${command} takes ${names.map((n) => `<${n}>`).join(' ')}; got ${positionals.length === 0 ? 'nothing' : positionals.join(' ')}`,
    );
  }
  return positionals;
}
