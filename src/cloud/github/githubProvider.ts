import { errorMessage } from '../../text/format';
import { ProviderError, type CloudProvider, type RegistryLogin } from '../provider';
import { environmentGitHubTokenSource, type GitHubTokenSource } from './githubTokenSource';

export interface GitHubProviderOptions {
  /** The environment's GITHUB_TOKEN/GH_TOKEN by default; the editor passes VS Code's GitHub account. */
  tokenSource?: GitHubTokenSource;
}

/** The user name sent with a token whose owner is not known; GHCR checks only the token. */
export const GITHUB_TOKEN_USERNAME = 'oauth2';

/**
 * GitHub Container Registry sign-in: a GitHub token is the Basic password, which the OCI client
 * trades at GHCR's realm (ghcr.io/token, the registry's own host) for a bearer token per scope.
 * A token carries no expiry GHCR announces, so the cache renews it after its default lifetime.
 */
export class GitHubProvider implements CloudProvider {
  readonly name = 'github' as const;
  readonly displayName = 'GitHub (GitHub Container Registry)';
  private readonly tokenSource: GitHubTokenSource;

  constructor(options: GitHubProviderOptions = {}) {
    this.tokenSource = options.tokenSource ?? environmentGitHubTokenSource();
  }

  async login(registry: string, signal?: AbortSignal): Promise<RegistryLogin> {
    let github: { token: string; login?: string };
    try {
      github = await this.tokenSource.getToken(signal);
    } catch (error) {
      throw new ProviderError(
        'github',
        'credentials',
        `No GitHub token for ${registry}: ${errorMessage(error)}`,
        this.tokenSource.signInHint,
        {
          cause: error,
        },
      );
    }
    return { credential: { username: github.login || GITHUB_TOKEN_USERNAME, password: github.token } };
  }

  refused(registry: string): ProviderError {
    return new ProviderError('github', 'registry', `${registry} refused the GitHub token`, this.tokenSource.signInHint);
  }
}
