import * as vscode from 'vscode';

/**
 * The `oci:` file system as registered at activation (an editor restored with an artifact's file
 * open asks for it before anything else): the real provider, which needs the OCI client, loads on
 * the first read. Artifact content is addressed by digest and never changes, so nothing is watched.
 */
export class LazyFileSystemProvider implements vscode.FileSystemProvider {
  private readonly never = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.never.event;
  private loading?: Promise<vscode.FileSystemProvider>;

  constructor(private readonly load: () => Promise<vscode.FileSystemProvider>) {}

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return (await this.real()).stat(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return (await this.real()).readDirectory(uri);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.real()).readFile(uri);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private real(): Promise<vscode.FileSystemProvider> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }
}
