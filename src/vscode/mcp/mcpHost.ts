import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer } from '../../mcp/server';
import { SecretWatch } from '../../mcp/secrets';
import { ChainedCredentials, OciClient, type CredentialProvider } from '../../oci';
import { settingsFor, timeoutMs } from '../registrySettings';
import { isRestricted } from '../restrictedMode';

export interface McpHost {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** A per-session secret VS Code sends as a bearer token: no other local process may use the server. */
  token: string;
  dispose(): void;
}

/**
 * The MCP server for VS Code's agents, on a loopback port of the extension host: each request gets
 * a server built for it (stateless Streamable HTTP), over a client of its own that uses the
 * extension's sign-ins and registry settings. Refused: a request without the session's token, and
 * one whose Host is not this address (a web page rebinding a name to 127.0.0.1).
 */
export async function startMcpHost(
  extension: vscode.ExtensionContext,
  credentials: CredentialProvider[],
  log: vscode.LogOutputChannel,
): Promise<McpHost> {
  const secrets = new SecretWatch(new ChainedCredentials(credentials));
  const client = new OciClient({
    credentials: secrets,
    settingsFor,
    userAgent: `oci-gitops-vscode-mcp/${extension.extension.packageJSON.version}`,
    timeoutMs: timeoutMs(),
  });
  const token = randomBytes(32).toString('hex');
  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`MCP request failed: ${(error as Error)?.message ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolve);
  });
  const address = `127.0.0.1:${(http.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== address || !authorised(req.headers.authorization, token)) {
      res.writeHead(req.headers.host !== address ? 421 : 401).end();
      return;
    }
    // An untrusted workspace's folders are not the agent's to read or push (Restricted Mode).
    const trusted = !isRestricted();
    const allowWrite = trusted && vscode.workspace.getConfiguration('ociGitops.mcp').get<boolean>('allowWrite', false);
    const server = createMcpServer({
      client,
      secrets,
      allowWrite,
      roots: trusted ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) : [],
      env: process.env,
      version: String(extension.extension.packageJSON.version),
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  log.info(`MCP server for agents listening on http://${address}/mcp`);
  return {
    url: `http://${address}/mcp`,
    token,
    dispose: () => {
      http.close();
      void client.close();
    },
  };
}

function authorised(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
