import * as vscode from 'vscode';
import { ChainedCredentials, DockerConfigCredentials, OciClient } from '../oci';
import { addRegistry } from './commands/addRegistry';
import { copyDigest, copyPinnedReference, openManifest } from './commands/artifactCommands';
import { compareWith } from './commands/compareWith';
import { deleteTag } from './commands/deleteTag';
import { addRepository, editRegistry, filterNode } from './commands/organise';
import { ArtifactContentCache } from './fs/ArtifactContentCache';
import { OciFileSystemProvider } from './fs/OciFileSystemProvider';
import { OCI_SCHEME } from './fs/ociUri';
import { createConsumerYamlFromTag } from './commands/createConsumerYaml';
import type { CommandContext } from './commands/context';
import { copyReference } from './commands/copyReference';
import { removeRegistry } from './commands/removeRegistry';
import { showArtifact } from './commands/showArtifact';
import { signIn, signOut } from './commands/signIn';
import { createLog } from './log';
import { pushFolderCommand } from './push/pushFolderCommand';
import { registerSigning } from './signing/registerSigning';
import { registerValidation } from './validation/registerValidation';
import { configuredRegistries, saveRegistries, settingsFor, timeoutMs } from './registrySettings';
import { SecretCredentials } from './secretCredentials';
import type { LoadMoreNode, TreeNode } from './tree/nodes';
import { RegistriesTreeProvider } from './tree/RegistriesTreeProvider';

export function activate(extension: vscode.ExtensionContext): void {
  const { channel: log, logger } = createLog();
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
  const view = vscode.window.createTreeView('ociGitops.registries', { treeDataProvider: tree, showCollapseAll: true });
  const reveal = async (registry: string, repository: string, tag: string): Promise<void> => {
    let node = await tree.findTag(registry, repository, tag);
    if (!node && !configuredRegistries().some((r) => r.url === registry)) {
      await saveRegistries([...configuredRegistries(), { url: registry }]);
      tree.refresh();
      node = await tree.findTag(registry, repository, tag);
    }
    if (node) await view.reveal(node, { select: true, focus: true, expand: true });
    else void vscode.window.showWarningMessage(`${registry}/${repository}:${tag} is not in the Registries view yet; refresh it.`);
  };
  const problems = vscode.languages.createDiagnosticCollection('oci-gitops');
  const ctx: CommandContext = { extension, client, secrets, docker, tree, contents, log, reveal, problems };

  extension.subscriptions.push(
    log,
    view,
    { dispose: () => void client.close() },
    vscode.commands.registerCommand('ociGitops.addRegistry', () => addRegistry(ctx)),
    vscode.commands.registerCommand('ociGitops.removeRegistry', (node) => removeRegistry(ctx, node)),
    vscode.commands.registerCommand('ociGitops.signIn', (target) => signIn(ctx, target)),
    vscode.commands.registerCommand('ociGitops.signOut', (node) => signOut(ctx, node)),
    vscode.commands.registerCommand('ociGitops.refresh', (node?: TreeNode) => tree.refresh(node)),
    vscode.commands.registerCommand('ociGitops.loadMore', (node: LoadMoreNode) => tree.loadMore(node)),
    vscode.commands.registerCommand('ociGitops.copyReference', (node) => copyReference(node)),
    vscode.commands.registerCommand('ociGitops.showArtifact', (node) => showArtifact(ctx, node)),
    vscode.commands.registerCommand('ociGitops.showLog', () => log.show()),
    vscode.commands.registerCommand('ociGitops.copyText', async (text: string) => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`Copied ${text}`, 4000);
    }),
    vscode.workspace.registerFileSystemProvider(OCI_SCHEME, new OciFileSystemProvider(contents), { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand('ociGitops.copyDigest', (node) => copyDigest(ctx, node)),
    vscode.commands.registerCommand('ociGitops.copyPinnedReference', (node) => copyPinnedReference(ctx, node)),
    vscode.commands.registerCommand('ociGitops.openManifest', (node) => openManifest(ctx, node)),
    vscode.commands.registerCommand('ociGitops.compareWith', (node) => compareWith(ctx, node)),
    vscode.commands.registerCommand('ociGitops.deleteTag', (node) => deleteTag(ctx, node)),
    vscode.commands.registerCommand('ociGitops.addRepository', (node) => addRepository(ctx, node)),
    vscode.commands.registerCommand('ociGitops.editRegistry', (node) => editRegistry(ctx, node)),
    vscode.commands.registerCommand('ociGitops.filter', (node) => filterNode(ctx, node)),
    vscode.commands.registerCommand('ociGitops.pushFolder', (uri?: vscode.Uri) => pushFolderCommand(ctx, uri)),
    vscode.commands.registerCommand('ociGitops.createFluxSource', (node) => createConsumerYamlFromTag(ctx, 'flux', node)),
    vscode.commands.registerCommand('ociGitops.createArgoApplication', (node) => createConsumerYamlFromTag(ctx, 'argo', node)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ociGitops.registries')) void client.resetConnections().then(() => tree.refresh());
      else if (event.affectsConfiguration('ociGitops')) tree.refresh();
    }),
  );
  registerSigning(extension, { client, log });
  registerValidation(extension, problems, { client, logger });
  log.info('OCI GitOps activated');
}

export function deactivate(): void {
  // Disposables registered on the context close the client and views.
}
