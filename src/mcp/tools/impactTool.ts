import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { wouldRefuse } from '../../gitops/impact/contract';
import { impactOf } from '../../gitops/impact/impact';
import { parseReference } from '../../oci';
import { READ_ONLY } from '../annotations';
import type { McpContext } from '../context';
import { pathWithinRoots } from '../paths';
import { bounded, errorResult, jsonResult } from '../results';

/** `impact`: the agent's way to ask, before a push or a promotion, who picks an artifact up and whether each would accept it. */
export function registerImpactTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'impact',
    {
      title: 'Who picks an artifact up, and would they accept it',
      description:
        "For a tag or digest in a registry, lists the workspace's consumers of its repository (Flux OCIRepository, HelmRelease charts, FluxInstance sync, Argo CD Applications and ApplicationSets, image volumes), whether each picks it (semver before and after, or pinned), and whether each would accept it (Flux spec.verify with the workspace's keys, identities and Flux version, layerSelector, Argo CD's layer rule), as `oci-gitops impact` does. wouldRefuse marks a consumer that would pick it and refuse it.",
      inputSchema: {
        reference: z.string().describe('registry/repository:tag or @sha256:… of the candidate'),
        paths: z.array(z.string()).optional().describe('Workspace files or folders holding the consumers (default: the workspace roots)'),
      },
      annotations: { ...READ_ONLY, title: 'Who picks an artifact up' },
    },
    async ({ reference, paths }) => {
      try {
        const files = paths?.length ? paths.map((p) => pathWithinRoots(p, ctx.roots)) : ctx.roots;
        const report = await impactOf({
          candidate: parseReference(reference),
          files,
          registry: { repository: (registry, repository) => ctx.client.repository({ registry, repository }) },
        });
        const consumers = report.consumers.map((c) => ({ ...c, wouldRefuse: wouldRefuse(c) }));
        return jsonResult({
          candidate: report.candidate,
          wouldRefuse: consumers.some((c) => c.wouldRefuse),
          consumers: bounded(consumers),
          skipped: bounded(report.skipped),
        });
      } catch (error) {
        return errorResult('Could not work out the impact', error);
      }
    },
  );
}
