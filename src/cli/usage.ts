/** A mistake in how the CLI was called: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: oci-gitops <command> [options]

Commands:
  repos <registry>        List every repository in a registry's catalog, one per line
  tags <repository> [--semver <constraint> [--semver-filter <regex>] [--argo [--helm]]]
                          List every tag of a repository, one per line; with --semver only the versions
                          that satisfy the constraint, newest first: the first is what Flux picks
                          (--argo: what Argo CD picks); exit 1 when none does
  inspect <reference>     Show an artifact's kind and facts, verified digest, media types, annotations, layers
                          and what refers to it (referrers API, referrers fallback tag or cosign tag)
  push <folder> <reference>
                          Push a folder as an artifact Flux and Argo CD consume; prints repo@sha256:…
  pull <reference> <folder>
                          Unpack an artifact's files into a new or empty folder
  diff <reference|folder> <reference>
                          List added, removed and changed files, with a unified diff per file;
                          exit 0 when the contents are equal, 1 when they differ, 2 on error
  copy <source> <destination>
                          Copy an artifact (every platform) by digest to another repository or registry,
                          with --referrers its signatures, SBOMs and attestations; prints repo@sha256:…
  keygen [<folder>]       Write a cosign key pair: cosign.key (0600, password from COSIGN_PASSWORD) and cosign.pub
  sign <reference>        Sign the artifact's digest: --key cosign.key (cosign .sig + Sigstore bundle),
                          --notation-key k.pem --notation-cert chain.pem (notation JWS), and/or
                          --keyless (Sigstore bundle with a Fulcio certificate and a Rekor entry)
  verify <reference>      Check every cosign and notation signature; exit 0 only if one verifies
  validate [--live] [--format text|json|sarif] <files or folders…>
                          Check Flux OCIRepository and Argo CD Application YAML (schema and rules;
                          --live also asks the registries); exit 1 on any error
  mcp [--allow-write] [--root <folder>]…
                          Serve the tools above to AI agents over the Model Context Protocol (stdio):
                          read-only unless --allow-write; a tag moves or goes only when the agent
                          names the digest it points at now; registry access is the user's own

Registry options:
  --insecure              Allow plain HTTP to the registry (loopback registries need no flag)
  --ca-file <path>        Trust the CA certificates in this PEM file for the registry
  --allow-token-realm <host>
                          Let this token service receive the registry's credentials although it is
                          on another host (the registry's own host, auth.docker.io for Docker Hub
                          and gitlab.com for registry.gitlab.com need no flag); repeatable
  --timeout <seconds>     Longest silence from the registry (default 60); each request, retries
                          included, must finish within three times that, and a listing within ten
  --username <name>       Sign in with this user; read the password or token from stdin
  --password-stdin        Read the password from stdin (with --username)
  --docker-config <path>  Docker config.json to read credentials from (default: ~/.docker/config.json)

Tags options:
  --semver <constraint>   A Masterminds constraint as in Flux ref.semver or Argo CD targetRevision
                          (^1.2, ~1.2.3, >=1.0.0 <2.0.0, 1.x, 1.0 - 2.0, >=1.0.0-0 for pre-releases)
  --semver-filter <regex> Flux semverFilter: only tags this Go regular expression matches count
  --argo                  Argo CD's reading: any version NewVersion accepts (1.2, v1) is a pin, tags like
                          v1.2 and 1.02.3 count as versions
  --helm                  With --argo: a Helm chart, whose tags spell + as _; without --argo: Flux's
                          HelmChart from an OCI HelmRepository (strict versions, an exact tag wins)

Push options:
  -t, --tag <tag>         Also tag the artifact with this (repeatable)
  --format <format>       default: one standard tar+gzip layer (Flux and default Argo CD)
                          flux:    the layout of \`flux push artifact\` (Argo CD needs the Flux type allowed)
                          oras:    one layer per file, as \`oras push\` (for oras pull)
  --source <url>          org.opencontainers.image.source (default: the git remote, credentials removed)
  --revision <rev>        org.opencontainers.image.revision (default: <branch>@sha1:<commit>)
  -a, --annotation k=v    Add an annotation (repeatable)
  --force                 Move tags that already point at another digest
  --resolve-symlinks      Pack the targets of symlinks that stay inside the folder
  --allow-nonportable-names
                          Push names that are not one file on Windows, macOS and Linux (App.yaml and
                          app.yaml, CON.yaml, a:b, trailing dots or spaces), with a warning

Copy options (the registry options above apply to both sides; these to one):
  --referrers             Also copy what refers to the artifact: referrers (API or sha256-<hex> tag) and
                          cosign's .sig/.att/.sbom tags, at every depth
  -t, --tag <tag>         Also tag the copy with this (repeatable); set only once everything is copied
  --force                 Move destination tags, and replace a different cosign .sbom (.sig and .att
                          are merged: signatures at the destination are never dropped)
  --from-username <name>, --to-username <name>
                          The source's or destination's login; its password from stdin with
                          --from-password-stdin or --to-password-stdin (one of them: stdin holds one)
  --from-docker-config <path>, --to-docker-config <path>
  --from-ca-file <path>, --to-ca-file <path>
  --from-insecure, --to-insecure
  --from-allow-token-realm <host>, --to-allow-token-realm <host>

Signing options:
  --key <path>            sign: cosign.key (COSIGN_PASSWORD); verify: cosign.pub (repeatable)
  --notation-key <path>   PEM private key of the notation signing certificate
  --notation-cert <path>  PEM certificate chain, signing certificate first
  --notation-trust <dir>  Folder with trustpolicy.json and certificates (notation or Flux Secret layout)
  --keyless               sign: identity token from --identity-token-file, SIGSTORE_ID_TOKEN, or a browser
                          sign-in at --oidc-issuer (default https://oauth2.sigstore.dev/auth)
  --fulcio-url <url>      sign --keyless: Fulcio (default https://fulcio.sigstore.dev)
  --rekor-url <url>       sign --keyless: Rekor (default https://rekor.sigstore.dev)
  --trusted-root <file>   verify: Sigstore trusted_root.json (Fulcio CA, Rekor and CT log keys)
  --certificate-identity-regexp <re>, --certificate-oidc-issuer-regexp <re>
                          verify: keyless signer to accept (Go regexps, unanchored as in cosign and
                          Flux matchOIDCIdentity: write ^…$); repeat both in pairs for several

MCP options:
  --allow-write           Offer the write tools too: push, sign, copy (promote) and delete_tag
  --root <folder>         A folder the tools may read and push from (repeatable; default: the
                          current folder); paths outside every root are refused

Output options:
  --json                  Machine-readable output (inspect, sign, verify, copy)
  --page-size <n>         Page size requested from the registry (default 1000)
  -h, --help              Show this help

Exit codes: 0 success, 1 the operation failed (bad reference, not found, denied), 2 usage error;
diff: 0 equal, 1 different, 2 error. A reader that closes the output early (| head) ends the
command quietly with 141, as a process a SIGPIPE ends.
`;
