import * as vscode from 'vscode';
import { folderEntries, isFolder } from '../../artifact/folderView';
import type { ArtifactContentCache } from './ArtifactContentCache';
import { parseArtifactUri } from './ociUri';
import { errorMessage } from '../../text/format';
import { formatReference, pinned } from '../../oci';

/**
 * Read-only files of artifacts, so any file inside one opens in a normal editor tab with its
 * language. `?view=manifest` shows the manifest itself; `?missing=1` is an empty file, the other
 * side of a diff for a file that one version does not have.
 */
export class OciFileSystemProvider implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly cache: ArtifactContentCache) {}

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const location = parseArtifactUri(uri);
    if (uri.query === 'missing=1') return file(0);
    if (uri.query === 'view=manifest') return file((await this.cache.manifest(location)).bytes.length);
    const contents = await this.load(uri);
    if (location.path === '') return directory();
    const listed = contents.files.get(location.path);
    if (listed) return file(listed.size);
    if (isFolder(contents.files.keys(), location.path)) return directory();
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const location = parseArtifactUri(uri);
    const contents = await this.load(uri);
    return folderEntries(contents.files.keys(), location.path).map((entry) => [
      entry.name,
      entry.isDirectory ? vscode.FileType.Directory : vscode.FileType.File,
    ]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = parseArtifactUri(uri);
    if (uri.query === 'missing=1') return new Uint8Array();
    if (uri.query === 'view=manifest') {
      const { bytes } = await this.cache.manifest(location);
      return Buffer.from(`${JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)}\n`);
    }
    const listed = (await this.load(uri)).files.get(location.path);
    if (!listed) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      return await listed.read();
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(
        `${formatReference(pinned(location, location.digest))}: ${location.path}: ${errorMessage(error)}`,
      );
    }
  }

  watch(): vscode.Disposable {
    // Content addressed by digest never changes.
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

  private async load(uri: vscode.Uri) {
    const location = parseArtifactUri(uri);
    try {
      return await this.cache.files(location);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(`${formatReference(pinned(location, location.digest))}: ${errorMessage(error)}`);
    }
  }
}

function file(size: number): vscode.FileStat {
  return { type: vscode.FileType.File, ctime: 0, mtime: 0, size, permissions: vscode.FilePermission.Readonly };
}

function directory(): vscode.FileStat {
  return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
}
