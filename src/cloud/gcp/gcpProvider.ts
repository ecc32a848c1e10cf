import { errorMessage } from '../../text/format';
import { ProviderError, type CloudProvider, type RegistryLogin } from '../provider';

/** The user name Artifact Registry and Container Registry take with an OAuth2 access token. */
export const GOOGLE_REGISTRY_USER = 'oauth2accesstoken';

const NO_PROJECT = 'oci-gitops-registry-sign-in';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const ADC_HINT = 'Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a credentials file';

const REFUSED_HINT =
  'Sign in again with `gcloud auth application-default login`, or replace the credentials file GOOGLE_APPLICATION_CREDENTIALS names';

/**
 * Artifact Registry and Container Registry sign-in as Flux's (fluxcd/pkg auth/gcp): Application
 * Default Credentials through Google's auth library (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * application_default_credentials.json, workload identity federation, the metadata server), whose
 * access token is the password of user `oauth2accesstoken`, for any Google registry host. Each
 * login asks the library afresh: its own cache would hand back a token the registry just refused.
 */
export class GcpProvider implements CloudProvider {
  readonly name = 'gcp' as const;
  readonly displayName = 'Google Cloud (Artifact Registry)';

  async login(): Promise<RegistryLogin> {
    const { GoogleAuth } = await import('google-auth-library');
    // A registry token needs no project; naming one spares the library the project lookup it would
    // otherwise make for federated credentials (a Cloud Resource Manager call needing its own permission).
    const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], projectId: NO_PROJECT });
    let client: Awaited<ReturnType<typeof auth.getClient>>;
    try {
      client = await auth.getClient();
    } catch (error) {
      throw credentialsFailure(error);
    }
    let token: string | null | undefined;
    try {
      token = (await client.getAccessToken()).token;
    } catch (error) {
      throw tokenFailure(error);
    }
    if (!token) throw new ProviderError('gcp', 'exchange', 'Google answered without an access token', ADC_HINT);
    const expiry = client.credentials.expiry_date;
    return {
      credential: { username: GOOGLE_REGISTRY_USER, password: token },
      expiresAt: typeof expiry === 'number' && expiry > 0 ? new Date(expiry) : undefined,
    };
  }
}

function credentialsFailure(error: unknown): ProviderError {
  const said = errorMessage(error);
  if (/Could not load the default credentials/i.test(said)) {
    return new ProviderError(
      'gcp',
      'credentials',
      'no Application Default Credentials were found (GOOGLE_APPLICATION_CREDENTIALS, gcloud application-default login, metadata server)',
      ADC_HINT,
      { cause: error },
    );
  }
  return new ProviderError('gcp', 'credentials', `the Application Default Credentials could not be read: ${said}`, ADC_HINT, {
    cause: error,
  });
}

/** Google's token endpoints answer OAuth2 errors (`invalid_grant: …`); the library puts them in the message. */
function tokenFailure(error: unknown): ProviderError {
  const said = errorMessage(error);
  if (/invalid_grant|invalid_client|unauthorized_client|invalid_rapt|reauth/i.test(said)) {
    return new ProviderError('gcp', 'credentials', `Google refused the Application Default Credentials (${said})`, REFUSED_HINT, {
      cause: error,
    });
  }
  return new ProviderError(
    'gcp',
    'exchange',
    `getting an access token failed: ${said}`,
    'Check the network connection and the Google Cloud sign-in on this machine',
    {
      cause: error,
    },
  );
}
