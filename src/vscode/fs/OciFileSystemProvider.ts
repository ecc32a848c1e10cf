import * as vscode from 'vscode';
import type { ArtifactContentCache } from './ArtifactContentCache';
import { parseArtifactUri } from './ociUri';

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
    if (uri.query === 'view=manifest')
      return file((await this.cache.manifest(location.registry, location.repository, location.digest)).bytes.length);
    const contents = await this.load(uri);
    if (location.path === '') return directory();
    const listed = contents.files.get(location.path);
    if (listed) return file(listed.size);
    if ([...contents.files.keys()].some((p) => p.startsWith(`${location.path}/`))) return directory();
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const location = parseArtifactUri(uri);
    const contents = await this.load(uri);
    const prefix = location.path ? `${location.path}/` : '';
    const entries = new Map<string, vscode.FileType>();
    for (const path of contents.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) entries.set(rest, vscode.FileType.File);
      else entries.set(rest.slice(0, slash), vscode.FileType.Directory);
    }
    return [...entries].sort(([a, at], [b, bt]) => (at === bt ? a.localeCompare(b) : at === vscode.FileType.Directory ? -1 : 1));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = parseArtifactUri(uri);
    if (uri.query === 'missing=1') return new Uint8Array();
    if (uri.query === 'view=manifest') {
      const { bytes } = await this.cache.manifest(location.registry, location.repository, location.digest);
      return Buffer.from(`${JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)}\n`);
    }
    const listed = (await this.load(uri)).files.get(location.path);
    if (!listed) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      return await listed.read();
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(
        `${location.registry}/${location.repository}@${location.digest}: ${location.path}: ${(error as Error).message}`,
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
      return await this.cache.files(location.registry, location.repository, location.digest);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(
        `${location.registry}/${location.repository}@${location.digest}: ${(error as Error).message}`,
      );
    }
  }
}

function file(size: number): vscode.FileStat {
  return { type: vscode.FileType.File, ctime: 0, mtime: 0, size, permissions: vscode.FilePermission.Readonly };
}

function directory(): vscode.FileStat {
  return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
}
