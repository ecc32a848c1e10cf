import type { ProviderName } from './provider';

// Which cloud serves a registry host, decided by its name alone. The patterns follow Flux, which
// recognises the same hosts before it signs in:
// - fluxcd/pkg auth/aws/provider.go `registryPattern` (itself from awslabs/amazon-ecr-credential-helper):
//   `<account>.dkr.ecr[-fips].<region>.` + amazonaws.com[.cn] | amazonaws.eu | sc2s.sgov.gov |
//   c2s.ic.gov | cloud.adc-e.uk | csp.hci.ic.gov, and `public.ecr.aws` (ECR Public, us-east-1);
// - fluxcd/pkg auth/azure/provider.go `registryPattern` (from Kubernetes' Azure credential provider):
//   `*.azurecr.io`, `.azurecr.cn`, `.azurecr.de`, `.azurecr.us`;
// - fluxcd/pkg oci/auth/gcp/auth.go `ValidHost`: `gcr.io`, `*.gcr.io`, `*-docker.pkg.dev`.
// Flux's ECR pattern is unanchored and takes any run of digits for the account; here the whole host
// must match and an account is AWS's twelve digits, so `evil.com/x.dkr.ecr…` or a look-alike suffix
// never receives an AWS token. Every pattern is anchored with no nested or adjacent overlapping
// repetition, so matching stays linear in the host's length (the project guards against ReDoS).

/** What the host says about the registry, for the provider that signs in to it. */
export type RecognisedHost =
  | { provider: 'aws'; service: 'ecr'; account: string; region: string; fips: boolean }
  | { provider: 'aws'; service: 'ecr-public'; region: 'us-east-1' }
  | { provider: 'azure'; service: 'acr'; cloud: AzureCloud }
  | { provider: 'gcp'; service: 'artifact-registry'; location: string }
  | { provider: 'gcp'; service: 'container-registry' }
  | { provider: 'github'; service: 'ghcr' }
  /** Docker Hub has no cloud sign-in: its logins come from Docker's config or a username. */
  | { provider: undefined; service: 'docker-hub' };

export type AzureCloud = 'public' | 'china' | 'government' | 'germany';

const ECR =
  /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z]+(?:-[a-z]+)+-\d+)\.(?:amazonaws\.com(?:\.cn)?|amazonaws\.eu|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;
const ACR = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.azurecr\.(io|cn|us|de)$/;
const ARTIFACT_REGISTRY = /^([a-z0-9]+(?:-[a-z0-9]+)*)-docker\.pkg\.dev$/;
const GCR = /^(?:[a-z0-9-]+\.)?gcr\.io$/;
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const AZURE_CLOUDS: Record<string, AzureCloud> = { io: 'public', cn: 'china', us: 'government', de: 'germany' };

/** Longer names are no registry host; refusing them early bounds every match below. */
const MAX_HOST_LENGTH = 253;

/**
 * The cloud behind a registry host (`host[:port]` as the OCI client names registries), or undefined
 * for any other registry. A host with a port is never a cloud registry: they all serve on 443.
 */
export function recogniseHost(registry: string): RecognisedHost | undefined {
  const host = registry.toLowerCase();
  if (host.length > MAX_HOST_LENGTH) return undefined;
  if (DOCKER_HUB.has(host)) return { provider: undefined, service: 'docker-hub' };
  if (host === 'public.ecr.aws') return { provider: 'aws', service: 'ecr-public', region: 'us-east-1' };
  if (host === 'ghcr.io') return { provider: 'github', service: 'ghcr' };
  const ecr = ECR.exec(host);
  if (ecr) return { provider: 'aws', service: 'ecr', account: ecr[1], region: ecr[3], fips: ecr[2] !== undefined };
  const acr = ACR.exec(host);
  if (acr) return { provider: 'azure', service: 'acr', cloud: AZURE_CLOUDS[acr[1]] };
  const artifactRegistry = ARTIFACT_REGISTRY.exec(host);
  if (artifactRegistry) return { provider: 'gcp', service: 'artifact-registry', location: artifactRegistry[1] };
  if (GCR.test(host)) return { provider: 'gcp', service: 'container-registry' };
  return undefined;
}

/** The provider that signs in to a host by default, if its cloud has one. */
export function providerForHost(registry: string): ProviderName | undefined {
  return recogniseHost(registry)?.provider;
}
