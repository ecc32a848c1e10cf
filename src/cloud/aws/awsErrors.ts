import { errorMessage } from '../../text/format';
import { ProviderError } from '../provider';

/** An AWS SDK failure as a ProviderError: which step, what happened, and the command that fixes it. */
export function awsFailure(error: unknown, profile: string, step: 'credentials' | 'exchange', service: string): ProviderError {
  const name = (error as { name?: string }).name ?? '';
  const said = errorMessage(error);
  const login = profile === 'default' ? 'aws sso login' : `aws sso login --profile ${profile}`;
  const fail = (at: 'credentials' | 'exchange', message: string, hint: string) =>
    new ProviderError('aws', at, message, hint, { cause: error });
  if (/SSO session/i.test(said)) {
    return fail('credentials', `the SSO session for profile ${profile} has expired or is not signed in`, `Run \`${login}\``);
  }
  if (/Could not load credentials from any providers/i.test(said)) {
    return fail(
      'credentials',
      'no AWS credentials were found (environment, shared config and SSO profiles, web identity, container and instance metadata)',
      'Run `aws configure sso` or `aws configure`, set AWS_PROFILE to a configured profile, or give AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  if (/Region is missing/i.test(said)) {
    return fail(
      'credentials',
      `no AWS region is set for profile ${profile}`,
      'Set AWS_REGION, or a region in the profile (`aws configure set region …`)',
    );
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return fail(
      'credentials',
      `the credentials of profile ${profile} could not be loaded: ${said}`,
      `Check the profile ${profile} in ~/.aws/config, or run \`${login}\``,
    );
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || name === 'RequestExpired') {
    return fail(
      'credentials',
      'the AWS session credentials have expired',
      `Sign in again: run \`${login}\`, or renew the session credentials in the environment`,
    );
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'InvalidSignatureException') {
    return fail(
      'credentials',
      'AWS did not recognise the access key or its signature',
      `Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the keys of profile ${profile}`,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return fail(
      'exchange',
      `this identity may not call ${service}:GetAuthorizationToken`,
      `Grant ${service}:GetAuthorizationToken to it (the AmazonEC2ContainerRegistryReadOnly managed policy includes it)`,
    );
  }
  return fail(step, `${service} GetAuthorizationToken failed: ${said}`, 'Check the network connection and the AWS sign-in on this machine');
}
