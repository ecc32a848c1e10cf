import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { resolve } from 'node:path';
import { createMcpServer } from '../../mcp/server';
import { SecretWatch } from '../../mcp/secrets';
import { OciClient } from '../../oci';
import { dockerThenCloud } from '../clientFromOptions';
import { line, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { mcpFlags } from '../commandLine/mcp';
import { expectPositionals } from '../commandLine/positionals';

type McpOptions = Options<typeof mcpFlags>;

declare const OCI_GITOPS_VERSION: string | undefined;

/**
 * `oci-gitops mcp [--allow-write] [--root <folder>]…`: the Model Context Protocol server on
 * stdin/stdout, for agents in any MCP client. Registry access is the user's Docker config (and
 * its credential helpers), with the registry options applied to every registry. Runs until the
 * client closes stdin.
 */
export async function mcpCommand(positionals: string[], options: McpOptions, io: CliIo): Promise<void> {
  expectPositionals(positionals, [], 'mcp');
  const secrets = new SecretWatch(dockerThenCloud(options['docker-config'], io));
  const client = new OciClient({
    credentials: secrets,
    settingsFor: () => ({ insecure: options.insecure, caFile: options['ca-file'], tokenRealms: options['allow-token-realm'] }),
    userAgent: 'oci-gitops-mcp',
    ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
  });
  const roots = (options.root.length > 0 ? options.root : [process.cwd()]).map((root) => resolve(root));
  const server = createMcpServer({
    client,
    secrets,
    allowWrite: options['allow-write'],
    roots,
    env: io.env,
    version: typeof OCI_GITOPS_VERSION === 'string' ? OCI_GITOPS_VERSION : '0.0.0',
  });
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((done) => {
    transport.onclose = done;
    io.stdin.once('end', () => void server.close());
  });
  await server.connect(transport);
  line(
    io.stderr,
    `oci-gitops mcp: serving ${options['allow-write'] ? 'read and write' : 'read-only'} tools on stdio; roots: ${roots.join(', ')}`,
  );
  try {
    await closed;
  } finally {
    await client.close();
  }
}
