import type * as vscode from 'vscode';
import type { DockerConfigCredentials, OciClient } from '../../oci';
import type { PackageWriteGrant } from '../cloudSignIn/packageWriteGrant';
import type { ArtifactContentCache } from '../fs/ArtifactContentCache';
import type { SecretCredentials } from '../secretCredentials';
import type { RegistriesTreeProvider } from '../tree/RegistriesTreeProvider';

/** What every command needs, built once in activate(). */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  client: OciClient;
  secrets: SecretCredentials;
  docker: DockerConfigCredentials;
  tree: RegistriesTreeProvider;
  contents: ArtifactContentCache;
  log: vscode.LogOutputChannel;
  /** Diagnostics of the GitOps rules (open YAML files, and files a push gate found faulty). */
  problems: vscode.DiagnosticCollection;
  /** Shows a tag in the Registries view, adding its registry to the view if needed. */
  reveal(registry: string, repository: string, tag: string): Promise<void>;
  /** Runs a write, offering write:packages when VS Code's GitHub session could only read. */
  grantWrite: PackageWriteGrant;
}
