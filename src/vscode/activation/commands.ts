import type * as vscode from 'vscode';
import type { ClusterNode } from '../clusters/clusterNodes';
import type { ClusterServices } from '../clusters/clusterServices';
import type { CommandContext } from '../commands/context';

/** What a command gets before anything is loaded: the log at once, the rest on request. */
export interface Activation {
  log: vscode.LogOutputChannel;
  /** The OCI client, the Registries tree and the rest of CommandContext, built on first request. */
  context(): Promise<CommandContext>;
  /** The Clusters view and its reader, built on first request (the Kubernetes client loads with the first read). */
  clusters(): Promise<ClusterServices>;
  clipboard(text: string): Thenable<void>;
  statusMessage(text: string): void;
}

// VS Code hands commands untyped arguments (tree nodes, URIs, strings); each handler names what it takes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (activation: Activation, ...args: any[]) => unknown;

/**
 * Every command contributed in package.json that the extension registers itself, and where its
 * implementation lives: each is imported the first time the command runs. Commands that signing
 * and validation register themselves are in SIGNING_COMMANDS and VALIDATION_COMMANDS.
 * (No `vscode` import at run time here, so a test can check this list against package.json.)
 */
export const COMMANDS: Record<string, Handler> = {
  'ociGitops.addRegistry': async (a) => (await import('../commands/addRegistry.js')).addRegistry(await a.context()),
  'ociGitops.removeRegistry': async (a, node) => (await import('../commands/removeRegistry.js')).removeRegistry(await a.context(), node),
  'ociGitops.signIn': async (a, target) => (await import('../commands/signIn.js')).signIn(await a.context(), target),
  'ociGitops.signOut': async (a, node) => (await import('../commands/signIn.js')).signOut(await a.context(), node),
  'ociGitops.refresh': async (a, node) => (await a.context()).tree.refresh(node),
  'ociGitops.loadMore': async (a, node) => (await a.context()).tree.loadMore(node),
  'ociGitops.copyReference': async (_a, node) => (await import('../commands/copyReference.js')).copyReference(node),
  'ociGitops.showArtifact': async (a, node) => (await import('../commands/showArtifact.js')).showArtifact(await a.context(), node),
  'ociGitops.showLog': (a) => a.log.show(),
  'ociGitops.copyText': async (a, text: string) => {
    await a.clipboard(text);
    a.statusMessage(`Copied ${text}`);
  },
  'ociGitops.copyDigest': async (a, node) => (await import('../commands/artifactCommands.js')).copyDigest(await a.context(), node),
  'ociGitops.copyPinnedReference': async (a, node) =>
    (await import('../commands/artifactCommands.js')).copyPinnedReference(await a.context(), node),
  'ociGitops.openManifest': async (a, node) => (await import('../commands/artifactCommands.js')).openManifest(await a.context(), node),
  'ociGitops.compareWith': async (a, node) => (await import('../commands/compareWith.js')).compareWith(await a.context(), node),
  'ociGitops.deleteTag': async (a, node) => (await import('../commands/deleteTag.js')).deleteTag(await a.context(), node),
  'ociGitops.addRepository': async (a, node) => (await import('../commands/organise.js')).addRepository(await a.context(), node),
  'ociGitops.editRegistry': async (a, node) => (await import('../commands/organise.js')).editRegistry(await a.context(), node),
  'ociGitops.filter': async (a, node) => (await import('../commands/organise.js')).filterNode(await a.context(), node),
  'ociGitops.copyTo': async (a, node, destination) => (await import('../commands/copyTo.js')).copyTo(await a.context(), node, destination),
  'ociGitops.copyRepositoryTo': async (a, node) =>
    (await import('../commands/copyRepositoryTo.js')).copyRepositoryTo(await a.context(), node),
  'ociGitops.promote': async (a, node) => (await import('../commands/promote.js')).promote(await a.context(), node),
  'ociGitops.showConsumers': async (a, node) => (await import('../commands/showConsumers.js')).showConsumers(await a.context(), node),
  'ociGitops.pushFolder': async (a, uri) => (await import('../push/pushFolderCommand.js')).pushFolderCommand(await a.context(), uri),
  'ociGitops.createFluxSource': async (a, node) =>
    (await import('../commands/createConsumerYaml.js')).createConsumerYamlFromTag(await a.context(), 'flux', node),
  'ociGitops.clusters.refresh': async (a) => (await a.clusters()).tree.refresh(),
  'ociGitops.clusters.reconcile': async (a, node: ClusterNode) => (await a.clusters()).reconcile(node),
  'ociGitops.clusters.openInRegistries': async (a, node: ClusterNode) => {
    if (node?.kind !== 'source' || !node.source.registry || !node.source.repository || !node.source.tag) return;
    await (await a.context()).reveal(node.source.registry, node.source.repository, node.source.tag);
  },
  'ociGitops.createArgoApplication': async (a, node) =>
    (await import('../commands/createConsumerYaml.js')).createConsumerYamlFromTag(await a.context(), 'argo', node),
};

/** Registered by registerSigning (src/vscode/signing) once signing is first used. */
export const SIGNING_COMMANDS = [
  'ociGitops.generateKeyPair',
  'ociGitops.generateTestCertificate',
  'ociGitops.signArtifact',
  'ociGitops.signArtifactKeyless',
] as const;

/** Registered by registerValidation (src/vscode/validation) once a YAML file holds our kinds, or one of them runs. */
export const VALIDATION_COMMANDS = ['ociGitops.pinToDigest', 'ociGitops.refreshLiveChecks'] as const;
