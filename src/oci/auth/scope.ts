/**
 * Token scopes, `resourcetype:resourcename:action[,action]`, as in Distribution's token spec.
 * Resource names may hold one ":" (a registry port), so the actions are after the last ":".
 */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

export function repositoryScope(repository: string, ...actions: string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';

export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: text.slice(0, first),
    name: text.slice(first + 1, last),
    actions: text
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

/**
 * Merges scopes for the same resource into one and sorts them, so that equal sets of scopes give
 * equal token-cache keys and one token request can carry every scope a request needs.
 */
export function mergeScopes(scopes: Iterable<string>): string[] {
  const byResource = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  for (const text of scopes) {
    for (const part of text.split(' ').filter(Boolean)) {
      const scope = parseScope(part);
      if (!scope) {
        opaque.add(part);
        continue;
      }
      const key = `${scope.type}:${scope.name}`;
      const actions = byResource.get(key) ?? new Set<string>();
      scope.actions.forEach((a) => actions.add(a));
      byResource.set(key, actions);
    }
  }
  const merged = [...byResource].map(([key, actions]) => `${key}:${[...actions].sort().join(',')}`);
  return [...merged, ...opaque].sort();
}
