import type { CommandLine } from './command';
import { explained, repeatedFlag, valueFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json, key } from './sharedFlags';

export const verifyFlags = [
  explained(key, 'A cosign.pub to accept signatures from (repeatable)'),
  valueFlag('notation-trust', '<dir>', 'Folder with trustpolicy.json and certificates (notation or Flux Secret layout)'),
  valueFlag('trusted-root', '<file>', 'Sigstore trusted_root.json (Fulcio CA, Rekor and CT log keys), for keyless signatures'),
  repeatedFlag(
    'certificate-identity-regexp',
    '<re>',
    'A keyless signer to accept: a Go regexp for the certificate identity, unanchored as in cosign and Flux matchOIDCIdentity (write ^…$); paired in order with --certificate-oidc-issuer-regexp',
  ),
  repeatedFlag(
    'certificate-oidc-issuer-regexp',
    '<re>',
    "A Go regexp for the keyless signer's OIDC issuer; repeat both in pairs for several signers",
  ),
  explained(json, 'Print every signature found and its status as JSON'),
  registryFlags,
] satisfies FlagItem[];

export const verify: CommandLine<typeof verifyFlags> = {
  name: 'verify',
  synopsis: '<reference>',
  summary: 'Check every cosign and notation signature; exit 0 only if one verifies',
  description:
    "Checks every cosign and notation signature of the artifact's digest and reports each. Exits 0 only when at least one verifies against the given cosign keys, notation trust or keyless identities.",
  flags: verifyFlags,
  examples: [
    { about: 'Against a cosign public key', line: 'oci-gitops verify ghcr.io/org/app-config:1.0.0 --key cosign.pub' },
    {
      about: 'Keyless, signed by a GitHub Actions workflow of the org',
      line: "oci-gitops verify ghcr.io/org/app-config:1.0.0 --trusted-root trusted_root.json --certificate-identity-regexp '^https://github.com/org/' --certificate-oidc-issuer-regexp '^https://token.actions.githubusercontent.com$'",
    },
  ],
};
