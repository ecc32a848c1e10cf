import * as vscode from 'vscode';
import type { McpHost } from './mcpHost';

export const MCP_PROVIDER_ID = 'ociGitops.mcp';

/**
 * Offers the OCI GitOps MCP server to VS Code's agents. Listing it costs nothing: the server (an
 * in-process loopback HTTP endpoint over the extension's own registry access, so the agent uses the
 * user's sign-ins without any credential leaving the extension host) starts when VS Code first
 * starts it, and the module that holds it loads only then.
 */
export function registerMcpProvider(extension: vscode.ExtensionContext, start: () => Promise<McpHost>): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const version = String(extension.extension.packageJSON.version ?? '0.0.0');
  return vscode.Disposable.from(
    changed,
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Write tools appear or go with the setting: VS Code asks for the tool list again.
      if (event.affectsConfiguration('ociGitops.mcp.allowWrite')) changed.fire();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => [
        new vscode.McpHttpServerDefinition('OCI GitOps', vscode.Uri.parse('http://127.0.0.1/mcp'), {}, version),
      ],
      resolveMcpServerDefinition: async (server) => {
        if (!(server instanceof vscode.McpHttpServerDefinition)) return server;
        const host = await start();
        server.uri = vscode.Uri.parse(host.url);
        server.headers = { Authorization: `Bearer ${host.token}` };
        return server;
      },
    }),
  );
}
