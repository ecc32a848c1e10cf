import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { checkLive } from '../../gitops/live/liveCheck';
import { GitOpsValidator } from '../../gitops/validator';
import { placed, validateFiles, type Finding } from '../../gitops/validateFiles';
import { WorkspacePicture } from '../../gitops/workspacePicture';
import type { OciRepository } from '../../gitops/contract/completionSite';
import { READ_ONLY } from '../annotations';
import type { McpContext } from '../context';
import { pathWithinRoots } from '../paths';
import { bounded, errorResult, jsonResult } from '../results';

/** The largest YAML text taken inline; a larger one is a file to name by path. */
const MAX_INLINE_YAML = 1024 * 1024;

export function registerValidateTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'validate',
    {
      title: 'Validate Flux and Argo CD YAML',
      description:
        'Validates Flux and Argo CD YAML as the editor and `oci-gitops validate` do: schema, controller rules and, with live, the registries (tags exist, digests, signatures, layer types). Give files or folders of the workspace (validated together, so references resolve across them) or YAML text. Findings are structured: file, line, column, severity, rule code, message.',
      inputSchema: {
        paths: z.array(z.string()).optional().describe('Files or folders in the workspace'),
        yaml: z.string().optional().describe('YAML text to validate instead of files (at most 1 MiB)'),
        live: z.boolean().optional().describe("Also ask the registries with the user's sign-ins (default false)"),
      },
      annotations: { ...READ_ONLY, title: 'Validate Flux and Argo CD YAML' },
    },
    async ({ paths, yaml, live }) => {
      try {
        if ((paths?.length ? 1 : 0) + (yaml !== undefined ? 1 : 0) !== 1) throw new Error('give either paths or yaml');
        const registries = live ? { repository: (ref: OciRepository) => ctx.client.repository(ref) } : undefined;
        let findings: Finding[];
        let checked: Record<string, unknown>;
        if (yaml !== undefined) {
          if (yaml.length > MAX_INLINE_YAML) throw new Error('the YAML text is over 1 MiB: save it to a file and give its path');
          // A text with no file behind it, judged as the editor judges an untitled document.
          const picture = new WorkspacePicture(undefined);
          const found =
            picture.scopeOf(undefined, yaml) === undefined ? await picture.validate(new GitOpsValidator(), undefined, yaml) : [];
          if (registries) found.push(...(await checkLive(yaml, registries)).diagnostics);
          findings = placed(
            '<yaml>',
            yaml,
            found.sort((a, b) => a.start - b.start),
          );
          checked = { text: true };
        } else {
          const targets = paths!.map((p) => pathWithinRoots(p, ctx.roots));
          const result = await validateFiles(targets, registries ? { live: registries } : {});
          findings = result.findings;
          checked = { ...result.tally };
        }
        const errors = findings.filter((f) => f.severity === 'error').length;
        return jsonResult({ valid: errors === 0, errors, others: findings.length - errors, checked, findings: bounded(findings) });
      } catch (error) {
        return errorResult('Could not validate', error);
      }
    },
  );
}
