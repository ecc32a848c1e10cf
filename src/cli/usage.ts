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
  tags <repository>       List every tag of a repository, one per line
  inspect <reference>     Show a manifest's verified digest, media types, annotations, layers and referrers

Registry options:
  --insecure              Allow plain HTTP to the registry (loopback registries need no flag)
  --ca-file <path>        Trust the CA certificates in this PEM file for the registry
  --username <name>       Sign in with this user; read the password or token from stdin
  --password-stdin        Read the password from stdin (with --username)
  --docker-config <path>  Docker config.json to read credentials from (default: ~/.docker/config.json)

Output options:
  --json                  Machine-readable output (inspect)
  --page-size <n>         Page size requested from the registry (default 1000)
  -h, --help              Show this help

Exit codes: 0 success, 1 the operation failed (bad reference, not found, denied), 2 usage error.
`;
