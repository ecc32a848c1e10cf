/** A GitHub token with the user name to present it under. */
export interface GitHubToken {
  token: string;
  /** The account's login when the source knows it (a VS Code session does); GHCR accepts any name. */
  login?: string;
}

/**
 * Where the GitHub provider gets its token: the environment in the CLI and in CI, VS Code's
 * GitHub account in the editor. `signInHint` says how to fix a missing or refused token there.
 */
export interface GitHubTokenSource {
  getToken(signal?: AbortSignal): Promise<GitHubToken>;
  readonly signInHint: string;
}

export const GITHUB_ENV_HINT =
  'Set GITHUB_TOKEN (or GH_TOKEN) to a token with read:packages (write:packages to push, sign or copy), e.g. `export GITHUB_TOKEN=$(gh auth token)`';

/**
 * `GITHUB_TOKEN`, then `GH_TOKEN` (the names Actions and the gh CLI use). In Actions the workflow's
 * actor is the natural user name; elsewhere "oauth2", since GHCR ignores the name for a token.
 */
export function environmentGitHubTokenSource(env: NodeJS.ProcessEnv = process.env): GitHubTokenSource {
  return {
    signInHint: GITHUB_ENV_HINT,
    async getToken() {
      const token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
      if (!token) throw new Error('neither GITHUB_TOKEN nor GH_TOKEN is set');
      return { token, login: env.GITHUB_ACTOR?.trim() || undefined };
    },
  };
}
