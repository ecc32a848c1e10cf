import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isAccessoryTag } from '../../artifact/kinds';
import { sortTagsNewestFirst } from '../../artifact/tagOrder';
import { resolveSemver, type SemverController } from '../../gitops/semver';
import { parseReference, parseRegistryHost, formatRepository } from '../../oci';
import { READ_ONLY } from '../annotations';
import type { McpContext } from '../context';
import { bounded, errorResult, jsonResult } from '../results';

/** Which controller reads a constraint how: Flux OCIRepository, Flux HelmChart from OCI, Argo CD. */
const CONTROLLERS: { id: SemverController; name: string; helmTags?: boolean }[] = [
  { id: 'flux-oci', name: 'Flux OCIRepository (spec.ref.semver)' },
  { id: 'flux-helm', name: 'Flux HelmRelease chart from an OCI HelmRepository (chart.spec.version)' },
  { id: 'argo', name: 'Argo CD Application (targetRevision)' },
];

export function registerRegistryTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'list_repositories',
    {
      title: 'List repositories',
      description:
        "Lists a registry's repositories from its catalog, with the user's own sign-in. Registries without a catalog (GHCR, Docker Hub, ECR) refuse: ask the user for the repository name instead.",
      inputSchema: {
        registry: z.string().describe('Registry host, e.g. ghcr.io or registry.example.com:5000'),
        filter: z.string().optional().describe('Only repositories whose name contains this text'),
        limit: z.number().int().min(1).max(1000).optional().describe('Most repositories to return (default 200)'),
      },
      annotations: { ...READ_ONLY, title: 'List repositories' },
    },
    async ({ registry, filter, limit }) => {
      try {
        const host = parseRegistryHost(registry);
        const names: string[] = [];
        for await (const name of ctx.client.registry(host).repositories({ pageSize: 1000 }))
          if (!filter || name.includes(filter)) names.push(name);
        const { items, total, truncated } = bounded(names, limit ?? 200);
        return jsonResult({ registry: host, repositories: items, total, truncated });
      } catch (error) {
        return errorResult(`Could not list the repositories of ${registry}`, error);
      }
    },
  );

  server.registerTool(
    'list_tags',
    {
      title: 'List tags',
      description:
        'Lists the tags of a repository, newest first (semantic versions by precedence, then the rest). With `semver`, also the tags that satisfy the constraint and the one each GitOps controller would pick: Flux OCIRepository (with `semverFilter`), Flux HelmChart from OCI, and Argo CD, each reading the constraint its own way.',
      inputSchema: {
        repository: z.string().describe('registry/repository, e.g. ghcr.io/acme/app'),
        semver: z.string().optional().describe('A semver constraint, e.g. ">=1.4.0 <2" or "^1.4"'),
        semverFilter: z.string().optional().describe("Flux OCIRepository's spec.ref.semverFilter (a Go regular expression)"),
        limit: z.number().int().min(1).max(1000).optional().describe('Most tags to return (default 200)'),
      },
      annotations: { ...READ_ONLY, title: 'List tags' },
    },
    async ({ repository, semver, semverFilter, limit }) => {
      try {
        const ref = parseReference(repository, { allowDockerHubShortNames: true });
        if (ref.tag || ref.digest) throw new Error(`give a repository without a tag or digest, e.g. ${formatRepository(ref)}`);
        const all: string[] = [];
        // cosign's and the referrers fallback's sha256-… tags belong to what they refer to (inspect lists them).
        for await (const tag of ctx.client.repository(ref).tags({ pageSize: 1000 })) if (!isAccessoryTag(tag)) all.push(tag);
        const { items, total, truncated } = bounded(sortTagsNewestFirst(all), limit ?? 200);
        const result: Record<string, unknown> = { repository: formatRepository(ref), tags: items, total, truncated };
        if (semver !== undefined) {
          result.semver = CONTROLLERS.map(({ id, name }) => {
            const resolution = resolveSemver(
              all,
              semver,
              id === 'flux-oci' && semverFilter !== undefined ? { controller: id, filter: semverFilter } : { controller: id },
            );
            return {
              controller: name,
              picks: resolution.winner ?? null,
              matching: bounded(
                resolution.matches.map((m) => m.tag),
                50,
              ).items,
              ...(resolution.pinned ? { pinnedBy: resolution.pinned } : {}),
              ...(resolution.error ? { refuses: resolution.error } : {}),
              ...(id !== 'flux-oci' && semverFilter !== undefined
                ? { note: 'semverFilter is an OCIRepository field; this controller has none' }
                : {}),
            };
          });
        }
        return jsonResult(result);
      } catch (error) {
        return errorResult(`Could not list the tags of ${repository}`, error);
      }
    },
  );
}
