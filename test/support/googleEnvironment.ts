import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A workload identity federation as GitHub Actions' google-github-actions/auth sets one up. */
export const WORKLOAD_IDENTITY = {
  audience: '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ci/providers/github',
  /** The CI's OIDC token, which the Google double (googleEndpoints.ts) is told to accept. */
  subjectToken: 'ci-oidc-subject-token',
};

/**
 * The environment google-auth-library reads in a test (for withEnv, processEnv.ts): Application
 * Default Credentials from a WORKLOAD_IDENTITY credentials file written under `home`, whose
 * `token_url` is the loopback STS double, and nothing that could reach a real Google: no gcloud
 * well-known file, no metadata server unless a test names one.
 */
export function googleEnvironment(home: string, google: { stsUrl: string }): Record<string, string | undefined> {
  const subjectFile = join(home, 'oidc-token');
  writeFileSync(subjectFile, WORKLOAD_IDENTITY.subjectToken);
  const credentialsFile = join(home, 'credentials.json');
  writeFileSync(
    credentialsFile,
    JSON.stringify({
      type: 'external_account',
      audience: WORKLOAD_IDENTITY.audience,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: google.stsUrl,
      credential_source: { file: subjectFile },
    }),
  );
  return {
    HOME: home,
    GOOGLE_APPLICATION_CREDENTIALS: credentialsFile,
    CLOUDSDK_CONFIG: join(home, 'gcloud'),
    GCE_METADATA_HOST: undefined,
    GCE_METADATA_IP: undefined,
    METADATA_SERVER_DETECTION: 'none',
  };
}
