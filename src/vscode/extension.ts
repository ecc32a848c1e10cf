import * as vscode from 'vscode';
import type * as Services from './services';
import { COMMANDS, SIGNING_COMMANDS, VALIDATION_COMMANDS, type Activation } from './activation/commands';
import { LazyFileSystemProvider } from './activation/lazyFileSystem';
import { LazyRegistration } from './activation/lazyRegistration';
import { LazyTreeDataProvider } from './activation/lazyTree';
import { registerCommand } from './commandWrapper/registerCommand';
import { watchForGitOpsYaml } from './activation/validationGate';
import { OCI_SCHEME } from './fs/ociUri';
import { createLog } from './log';
import { registerMcpProvider } from './mcp/mcpProvider';
import type { McpHost } from './mcp/mcpHost';
import { announceRestrictedMode } from './restrictedMode';
import { CopyDragAndDrop } from './tree/copyDragAndDrop';
import type { TreeNode } from './tree/nodes';
import type { ClusterNode } from './clusters/clusterNodes';
import type { ClusterServices } from './clusters/clusterServices';

/**
 * Activation registers the views, the `oci:` file system, every command and a watch on YAML files,
 * and returns: it reads no file, asks no registry or cluster and loads no feature. The Registries
 * tree and the OCI client load when that view first shows, the Clusters view's code when it first
 * shows (the Kubernetes client with its first read), the validator when a YAML file first holds a
 * kind we check, signing, diff and the artifact panel when their commands first run (esbuild.mjs
 * splits them out).
 */
export function activate(extension: vscode.ExtensionContext): void {
  const { channel: log, logger } = createLog();
  const problems = vscode.languages.createDiagnosticCollection('oci-gitops');
  let services: Promise<Services.Services> | undefined;
  const context = (): Promise<Services.Services> => {
    services ??= import('./services.js').then((m) => m.createServices({ extension, log, logger, problems, view }));
    return services;
  };
  const tree = new LazyTreeDataProvider<TreeNode>(async () => (await context()).tree);
  const view = vscode.window.createTreeView('ociGitops.registries', {
    treeDataProvider: tree,
    showCollapseAll: true,
    dragAndDropController: new CopyDragAndDrop(),
  });
  let clusterServices: Promise<ClusterServices> | undefined;
  const clusters = (): Promise<ClusterServices> => {
    clusterServices ??= import('./clusters/clusterServices.js').then((m) => m.createClusterServices(extension, log));
    return clusterServices;
  };
  const clustersTree = new LazyTreeDataProvider<ClusterNode>(async () => (await clusters()).tree);
  const clustersView = vscode.window.createTreeView('ociGitops.clusters', { treeDataProvider: clustersTree, showCollapseAll: true });
  const activation: Activation = {
    log,
    context,
    clusters,
    clipboard: (text) => vscode.env.clipboard.writeText(text),
    statusMessage: (text) => void vscode.window.setStatusBarMessage(text, 4000),
  };

  const signing = new LazyRegistration(
    SIGNING_COMMANDS,
    async () => {
      const [{ registerSigning }, { client, grantWrite }] = await Promise.all([import('./signing/registerSigning.js'), context()]);
      return () => registerSigning(extension, { client, grantWrite, log });
    },
    log,
    'signing',
  );
  const validation = new LazyRegistration(
    VALIDATION_COMMANDS,
    async () => {
      const [{ registerValidation }, { knownRegistries }, services] = await Promise.all([
        import('./validation/registerValidation.js'),
        import('./registrySettings.js'),
        context(),
      ]);
      return () =>
        registerValidation(extension, problems, {
          client: services.client,
          logger,
          knownRegistries: () => knownRegistries(services.docker, log),
          log,
        });
    },
    log,
    'validation (yaml-language-server and the Flux and Argo CD schemas)',
  );

  let mcpHost: Promise<McpHost> | undefined;
  const startMcp = (): Promise<McpHost> => {
    mcpHost ??= Promise.all([import('./mcp/mcpHost.js'), context()]).then(([{ startMcpHost }, services]) =>
      startMcpHost(extension, [services.secrets, services.cloud, services.docker], log),
    );
    return mcpHost;
  };

  extension.subscriptions.push(
    log,
    problems,
    registerMcpProvider(extension, startMcp),
    { dispose: () => void mcpHost?.then((host) => host.dispose()) },
    tree,
    view,
    clustersTree,
    clustersView,
    signing,
    validation,
    vscode.workspace.registerFileSystemProvider(OCI_SCHEME, new LazyFileSystemProvider(async () => (await context()).fileSystem), {
      isReadonly: true,
      isCaseSensitive: true,
    }),
    ...Object.entries(COMMANDS).map(([id, run]) => registerCommand(id, (...args: unknown[]) => run(activation, ...args), log)),
    watchForGitOpsYaml((document) => {
      log.info(`${vscode.workspace.asRelativePath(document.uri)} holds Flux or Argo CD kinds: loading validation`);
      validation.load().catch(() => undefined);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => auditTrustSettings(log)),
    announceRestrictedMode(log),
  );
  log.info('OCI GitOps activated');
  // A workspace that tries to set trust settings (read from user settings only) is named as soon as
  // it is opened; the check reads its settings files, so it runs after activation has returned.
  auditTrustSettings(log);
}

function auditTrustSettings(log: vscode.LogOutputChannel): void {
  import('./workspaceTrustAudit.js').then(
    ({ auditWorkspaceTrustSettings }) => auditWorkspaceTrustSettings(log),
    (error: Error) => log.warn(`Could not check this workspace's settings for trust settings: ${error.message}`),
  );
}

export function deactivate(): void {
  // Disposables registered on the context close the client and views.
}
