import type { CommandLine } from './command';
import { explained, switchFlag, valueFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json, key } from './sharedFlags';

export const signFlags = [
  explained(key, 'cosign.key to sign with, its password from COSIGN_PASSWORD: writes the cosign .sig tag and a Sigstore bundle'),
  valueFlag('notation-key', '<path>', 'PEM private key of the notation signing certificate (with --notation-cert)'),
  valueFlag('notation-cert', '<path>', 'PEM certificate chain, signing certificate first'),
  switchFlag(
    'keyless',
    'Sign with a Fulcio certificate and a Rekor entry; the identity token from --identity-token-file, SIGSTORE_ID_TOKEN, or a browser sign-in at --oidc-issuer',
  ),
  valueFlag('fulcio-url', '<url>', 'With --keyless: Fulcio (default https://fulcio.sigstore.dev)'),
  valueFlag('rekor-url', '<url>', 'With --keyless: Rekor (default https://rekor.sigstore.dev)'),
  valueFlag('identity-token-file', '<path>', 'With --keyless: a file holding the OIDC identity token'),
  valueFlag('oidc-issuer', '<url>', 'With --keyless: where to sign in (default https://oauth2.sigstore.dev/auth)'),
  explained(json, 'Print the digest and each signature written as JSON'),
  registryFlags,
] satisfies FlagItem[];

export const sign: CommandLine<typeof signFlags> = {
  name: 'sign',
  synopsis: '<reference>',
  summary: "Sign the artifact's digest with a cosign key, a notation certificate and/or keyless (Fulcio and Rekor)",
  description:
    "Resolves a tag to its digest once and signs only the digest. With --key, both cosign's legacy .sig tag and a Sigstore bundle referrer are written; with --notation-key and --notation-cert, a notation JWS signature; with --keyless, a Sigstore bundle with a Fulcio certificate and a Rekor entry. The flags may be combined; every key is loaded before the registry is touched, so a wrong password writes nothing.",
  flags: signFlags,
  examples: [
    { about: 'With a cosign key', line: 'COSIGN_PASSWORD="$PASSWORD" oci-gitops sign ghcr.io/org/app-config:1.0.0 --key cosign.key' },
    {
      about: 'With a notation certificate',
      line: 'oci-gitops sign ghcr.io/org/app-config:1.0.0 --notation-key signer.key --notation-cert chain.pem',
    },
    {
      about: "Keyless in CI, with the CI's OIDC token",
      line: 'oci-gitops sign ghcr.io/org/app-config:1.0.0 --keyless --identity-token-file "$TOKEN_FILE"',
    },
  ],
};
