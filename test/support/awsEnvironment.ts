import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The example keys of AWS's documentation: the ECR double (ecrEndpoint.ts) is told to accept this access key. */
export const AWS_KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/**
 * The environment the AWS SDK reads in a test (for withEnv, processEnv.ts): AWS_KEYS in eu-west-1,
 * shared config and credentials files under `home`/.aws (created, empty), ECR and ECR Public at the
 * loopback double, and nothing that could reach a real AWS: no instance metadata, and none of the
 * session, profile, web identity or container credentials the developer's shell may hold.
 */
export function awsEnvironment(home: string, ecr: { url: string }): Record<string, string | undefined> {
  mkdirSync(join(home, '.aws'), { recursive: true });
  return {
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: AWS_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEYS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  };
}
