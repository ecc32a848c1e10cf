import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { recogniseHost } from '../hosts';
import { ProviderError, type CloudProvider, type RegistryLogin } from '../provider';
import { awsFailure } from './awsErrors';

export interface AwsProviderOptions {
  /** The shared-config profile; default AWS_PROFILE, else the default profile (the SDK's own rule). */
  profile?: string;
}

/** What signs ECR's requests: the SDK's chain, its failures mapped to ProviderErrors. */
type AwsCredentialIdentityProvider = () => Promise<Awaited<ReturnType<ReturnType<typeof fromNodeProviderChain>>>>;

/** ECR Public issues its tokens in us-east-1 only. */
const ECR_PUBLIC_REGION = 'us-east-1';

/**
 * Amazon ECR sign-in as Flux's (fluxcd/pkg auth/aws): the SDK's standard credential chain, then
 * GetAuthorizationToken in the registry's region (from the host, else the profile's), or ECR
 * Public's for public.ecr.aws. The token is base64 `AWS:<password>` with its expiry (12 hours).
 * The SDK clients are loaded on the first login only.
 */
export class AwsProvider implements CloudProvider {
  readonly name = 'aws' as const;
  readonly displayName = 'AWS (Amazon ECR)';
  private credentials?: Promise<AwsCredentialIdentityProvider>;

  constructor(private readonly options: AwsProviderOptions = {}) {}

  private get profile(): string {
    return this.options.profile ?? process.env.AWS_PROFILE ?? 'default';
  }

  async login(registry: string, signal?: AbortSignal): Promise<RegistryLogin> {
    const host = recogniseHost(registry);
    const credentials = await this.credentialChain();
    if (host?.provider === 'aws' && host.service === 'ecr-public') return this.publicLogin(credentials, signal);
    const region = host?.provider === 'aws' && host.service === 'ecr' ? host.region : undefined;
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = new ECRClient({ region, credentials, profile: this.options.profile });
    try {
      const answer = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
      const data = answer.authorizationData?.[0];
      return loginFrom(data?.authorizationToken, data?.expiresAt, 'ECR');
    } catch (error) {
      throw error instanceof ProviderError ? error : awsFailure(error, this.profile, 'exchange', 'ecr');
    } finally {
      client.destroy();
    }
  }

  private async publicLogin(credentials: AwsCredentialIdentityProvider, signal?: AbortSignal): Promise<RegistryLogin> {
    const { ECRPUBLICClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr-public');
    const client = new ECRPUBLICClient({ region: ECR_PUBLIC_REGION, credentials });
    try {
      const answer = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
      return loginFrom(answer.authorizationData?.authorizationToken, answer.authorizationData?.expiresAt, 'ECR Public');
    } catch (error) {
      throw error instanceof ProviderError ? error : awsFailure(error, this.profile, 'exchange', 'ecr-public');
    } finally {
      client.destroy();
    }
  }

  /** The SDK's chain, built once: it caches the identity and refreshes it before it expires. */
  private credentialChain(): Promise<AwsCredentialIdentityProvider> {
    this.credentials ??= import('@aws-sdk/credential-providers').then(({ fromNodeProviderChain }) => {
      const chain = fromNodeProviderChain(this.options.profile ? { profile: this.options.profile } : {});
      // Resolving here puts a missing or expired sign-in under the credentials step, before any ECR call.
      return async () => {
        try {
          return await chain();
        } catch (error) {
          throw awsFailure(error, this.profile, 'credentials', 'ecr');
        }
      };
    });
    return this.credentials;
  }
}

/** The registry login inside an ECR authorization token (base64 `AWS:<password>`). */
function loginFrom(token: string | undefined, expiresAt: Date | undefined, service: string): RegistryLogin {
  const decoded = token ? Buffer.from(token, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new ProviderError(
      'aws',
      'exchange',
      `${service} answered GetAuthorizationToken without a usable token`,
      'Try again; if it persists, check the ECR endpoint (AWS_ENDPOINT_URL_ECR)',
    );
  }
  return {
    credential: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
    expiresAt: expiresAt instanceof Date && !Number.isNaN(expiresAt.getTime()) ? expiresAt : undefined,
  };
}
