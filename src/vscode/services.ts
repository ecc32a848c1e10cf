import * as vscode from 'vscode';
import { ChainedCredentials, DockerConfigCredentials, OciClient, type Logger, formatReference, tagged } from '../oci';
import type { CommandContext } from './commands/context';
import { ArtifactContentCache } from './fs/ArtifactContentCache';
import { OciFileSystemProvider } from './fs/OciFileSystemProvider';
import { configuredRegistries, saveRegistries, settingsFor, timeoutMs } from './registrySettings';
import { SecretCredentials } from './secretCredentials';
import type { TreeNode } from './tree/nodes';
import { RegistriesTreeProvider } from './tree/RegistriesTreeProvider';

export interface Services extends CommandContext {
  fileSystem: OciFileSystemProvider;
}

/**
 * The OCI client and what is built on it (credentials, artifact cache, the Registries tree),
 * created the first time a command, the view or the validator needs them, never at activation:
 * nothing here runs until then, and Docker's config.json is read only when a registry is.
 */
export function createServices(app: {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  logger: Logger;
  problems: vscode.DiagnosticCollection;
  view: vscode.TreeView<TreeNode>;
}): Services {
  const { extension, log, logger, problems, view } = app;
  const secrets = new SecretCredentials(extension.secrets);
  const docker = new DockerConfigCredentials();
  const client = new OciClient({
    credentials: new ChainedCredentials([secrets, docker]),
    settingsFor,
    logger,
    userAgent: `oci-gitops-vscode/${extension.extension.packageJSON.version}`,
    timeoutMs: timeoutMs(),
  });
  const contents = new ArtifactContentCache(client);
  const tree = new RegistriesTreeProvider(client, secrets, docker, contents, log);
  const reveal = async (registry: string, repository: string, tag: string): Promise<void> => {
    let node = await tree.findTag(registry, repository, tag);
    if (!node && !configuredRegistries().some((r) => r.url === registry)) {
      await saveRegistries([...configuredRegistries(), { url: registry }]);
      tree.refresh();
      node = await tree.findTag(registry, repository, tag);
    }
    if (node) await view.reveal(node, { select: true, focus: true, expand: true });
    else
      void vscode.window.showWarningMessage(
        `${formatReference(tagged({ registry, repository }, tag))} is not in the Registries view yet; refresh it.`,
      );
  };
  extension.subscriptions.push(
    { dispose: () => void client.close() },
    tree,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ociGitops.registries')) void client.resetConnections().then(() => tree.refresh());
      else if (event.affectsConfiguration('ociGitops')) tree.refresh();
    }),
  );
  return { extension, client, secrets, docker, tree, contents, log, reveal, problems, fileSystem: new OciFileSystemProvider(contents) };
}
