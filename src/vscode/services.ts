import * as vscode from 'vscode';
import { ChainedCredentials, DockerConfigCredentials, OciClient, type Logger, formatReference, tagged } from '../oci';
import type { CommandContext } from './commands/context';
import { ArtifactContentCache } from './fs/ArtifactContentCache';
import { OciFileSystemProvider } from './fs/OciFileSystemProvider';
import { configuredRegistries, hostOf, saveRegistries, settingsFor, timeoutMs, userProviderChoice } from './registrySettings';
import { ProviderCredentials } from '../cloud/providerCredentials';
import { chooseProvider, loadEditorProvider } from './cloudSignIn/editorProviders';
import { withFailureNotice } from './cloudSignIn/failureNotice';
import { packageWriteGrant } from './cloudSignIn/packageWriteGrant';
import { SecretCredentials } from './secretCredentials';
import type { TreeNode } from './tree/nodes';
import { RegistriesTreeProvider } from './tree/RegistriesTreeProvider';

export interface Services extends CommandContext {
  fileSystem: OciFileSystemProvider;
  /** Cloud sign-ins (GitHub, Azure, AWS), shared with the MCP host's client. */
  cloud: ProviderCredentials;
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
  // Cloud sign-in comes after a password the user stored for the host and before Docker's
  // config.json; its tokens live only in this object's memory.
  const cloud = new ProviderCredentials({
    choose: (registry) => chooseProvider(registry, userProviderChoice),
    load: async (name) =>
      withFailureNotice(await loadEditorProvider(name, settingsFor), log, (registry) => {
        cloud.forget(registry);
        client.forgetCredentials(registry);
        tree.refresh();
      }),
    warn: (message) => log.warn(message),
  });
  const client = new OciClient({
    credentials: new ChainedCredentials([secrets, cloud, docker]),
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
      if (event.affectsConfiguration('ociGitops.registries')) {
        // A registry's provider may have changed: its next request signs in afresh.
        for (const registry of configuredRegistries()) {
          const host = hostOf(registry.url);
          if (host) cloud.forget(host);
        }
        void client.resetConnections().then(() => tree.refresh());
      } else if (event.affectsConfiguration('ociGitops')) tree.refresh();
    }),
  );
  return {
    extension,
    client,
    secrets,
    docker,
    cloud,
    tree,
    contents,
    log,
    reveal,
    problems,
    grantWrite: packageWriteGrant(cloud, client, log),
    fileSystem: new OciFileSystemProvider(contents),
  };
}
