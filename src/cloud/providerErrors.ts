import { OciError } from '../oci';
import { errorMessage } from '../text/format';
import { ProviderError, type ProviderName, type ProviderStep } from './provider';

/** How messages name each cloud. */
export const PROVIDER_LABELS: Record<ProviderName, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  github: 'GitHub',
};

const STEPS: Record<ProviderStep, string> = {
  credentials: 'getting credentials',
  exchange: 'getting a registry token',
  registry: 'signing in to the registry',
};

/**
 * A provider's failure as the OCI client reports failures: which provider, which step, what
 * happened and what to do ("AWS sign-in failed getting credentials: the SSO session for profile dev
 * has expired. Run `aws sso login --profile dev`").
 */
export function signInFailure(provider: ProviderName, registry: string, error: unknown): OciError {
  const label = PROVIDER_LABELS[provider];
  if (error instanceof ProviderError) {
    return new OciError('CREDENTIALS', `${label} sign-in failed ${STEPS[error.step]} for ${registry}: ${error.message}`, {
      registry,
      hint: error.hint,
      cause: error,
    });
  }
  return new OciError('CREDENTIALS', `${label} sign-in failed for ${registry}: ${errorMessage(error)}`, {
    registry,
    hint: `Check the ${label} sign-in on this machine, or sign in to ${registry} with a username and password instead`,
    cause: error,
  });
}
