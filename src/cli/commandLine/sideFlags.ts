import type { ProviderName } from '../../cloud/provider';
import { UsageError } from '../usage';
import { parsedFlag, repeatedFlag, switchFlag, valueFlag, type FlagGroup } from './flag';
import { PROVIDER_VALUE, providerName } from './registryFlags';

export type Side = 'from' | 'to';

/** The registry options of one side of a copy, each given only when its --from-/--to- flag was. */
export interface SideOptions {
  username?: string;
  passwordStdin: boolean;
  dockerConfig?: string;
  insecure: boolean;
  caFile?: string;
  allowTokenRealms?: string[];
  provider?: ProviderName;
}

/**
 * The source's or the destination's own registry options, for a copy between registries that need
 * different logins or TLS. Stdin holds one password, so at most one login reads it.
 */
function sideFlags<S extends Side>(side: S, title: string) {
  const other: Side = side === 'from' ? 'to' : 'from';
  return {
    title,
    flags: [
      valueFlag(`${side}-username`, '<name>', `The ${whose(side)} login; its password from stdin with --${side}-password-stdin`, {
        check: (o) => {
          if (o[`${side}-username`] && !o[`${side}-password-stdin`])
            throw new UsageError(`--${side}-username needs --${side}-password-stdin (passwords are never taken on the command line)`);
        },
      }),
      switchFlag(
        `${side}-password-stdin`,
        `Read the ${whose(side)} password from stdin (with --${side}-username; stdin holds one password, so not with --${other}-password-stdin)`,
        {
          check: (o) => {
            if (!o[`${side}-password-stdin`]) return;
            if (!o[`${side}-username`]) throw new UsageError(`--${side}-password-stdin needs --${side}-username`);
            if (o[`${other}-password-stdin`] && o[`${other}-username`])
              throw new UsageError(
                "stdin holds one password: give --from-password-stdin or --to-password-stdin, and the other registry's login through --docker-config",
              );
            if (o['password-stdin'])
              throw new UsageError(
                'stdin holds one password: --password-stdin cannot be combined with --from-password-stdin or --to-password-stdin',
              );
          },
        },
      ),
      valueFlag(`${side}-docker-config`, '<path>', `Docker config.json with the ${whose(side)} credentials`),
      switchFlag(`${side}-insecure`, `Allow plain HTTP to the ${whose(side)} registry`),
      valueFlag(`${side}-ca-file`, '<path>', `Trust the CA certificates in this PEM file for the ${whose(side)} registry`),
      repeatedFlag(`${side}-allow-token-realm`, '<host>', `As --allow-token-realm, for the ${whose(side)} registry; repeatable`),
      parsedFlag(`${side}-provider`, PROVIDER_VALUE, `As --provider, for the ${whose(side)} registry`, providerName(`${side}-provider`), {
        check: (o) => {
          if (o[`${side}-provider`] && o[`${side}-username`])
            throw new UsageError(`--${side}-provider signs in through the cloud: give either it or --${side}-username`);
        },
      }),
    ],
  } satisfies FlagGroup;
}

function whose(side: Side): string {
  return side === 'from' ? "source's" : "destination's";
}

export const fromFlags = sideFlags('from', 'Source registry options (override the registry options for the source)');
export const toFlags = sideFlags('to', 'Destination registry options (override the registry options for the destination)');

/** One side's values, read from a command's options by their flag names. */
export function sideOptions(options: Readonly<Record<string, unknown>>, side: Side): SideOptions {
  return {
    username: options[`${side}-username`] as string | undefined,
    passwordStdin: options[`${side}-password-stdin`] === true,
    dockerConfig: options[`${side}-docker-config`] as string | undefined,
    insecure: options[`${side}-insecure`] === true,
    caFile: options[`${side}-ca-file`] as string | undefined,
    // Given only when the flag was: an empty list would override the shared --allow-token-realm.
    allowTokenRealms:
      (options[`${side}-allow-token-realm`] as string[]).length > 0 ? (options[`${side}-allow-token-realm`] as string[]) : undefined,
    provider: options[`${side}-provider`] as ProviderName | undefined,
  };
}
