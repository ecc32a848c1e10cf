// A stand-in for the `vscode` module, enough to activate the packaged extension in plain Node and
// drive the events activation listens to (documents opening, commands running). Tests that load
// dist/extension.js or src/vscode/ get it as `vscode` from serveFakeVscode (moduleHooks.ts).
// Anything not modelled below is a no-op that returns a disposable, so code that only registers
// things runs as it would in VS Code.

type Listener<T> = (event: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** Any other API: a function that returns a disposable, whatever it is called with. */
function inert(): unknown {
  return new Disposable();
}

function namespace<T extends object>(known: T): T {
  return new Proxy(known, { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : inert) });
}

export class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', '', path);
  }
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ''), url.host, url.pathname, url.search.replace(/^\?/, ''));
  }
  static from(parts: { scheme: string; authority?: string; path?: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.authority ?? '', parts.path ?? '', parts.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path, ...segments].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}
export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}
export class Diagnostic {
  source?: string;
  code?: unknown;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity?: number,
  ) {}
}
export class CodeAction {
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  edit?: WorkspaceEdit;
  constructor(
    readonly title: string,
    readonly kind?: unknown,
  ) {}
}
export class WorkspaceEdit {
  replace(): void {}
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: unknown,
  ) {}
}
export class MarkdownString {
  value = '';
  appendText(text: string): this {
    this.value += text;
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}
export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(readonly id: string) {}
}
export class TreeItem {
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}
export class CompletionItem {
  constructor(readonly label: string) {}
}
export class CompletionList {
  constructor(
    readonly items: CompletionItem[] = [],
    readonly isIncomplete = false,
  ) {}
}
export class Hover {
  constructor(
    readonly contents: unknown,
    readonly range?: Range,
  ) {}
}
export class SnippetString {
  constructor(readonly value: string) {}
}
export class McpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: Uri,
    public headers: Record<string, string> = {},
    readonly version?: string,
  ) {}
}
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const CodeActionKind = { QuickFix: 'quickfix' };
// VS Code's numbering (one less than LSP's).
export const CompletionItemKind = { Module: 8, Property: 9, Reference: 17, Folder: 18, EnumMember: 19, Constant: 20 };
export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
export const FilePermission = { Readonly: 1 };
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export class FileSystemError extends Error {
  static FileNotFound(what?: unknown): FileSystemError {
    return new FileSystemError(`not found: ${String(what)}`);
  }
  static NoPermissions(what?: unknown): FileSystemError {
    return new FileSystemError(`no permissions: ${String(what)}`);
  }
  static Unavailable(what?: unknown): FileSystemError {
    return new FileSystemError(`unavailable: ${String(what)}`);
  }
}

/** A text document as the extension sees one. */
export interface FakeDocument {
  uri: Uri;
  languageId: string;
  version: number;
  isClosed: boolean;
  getText(): string;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

export function fakeDocument(path: string, text: string, languageId = 'yaml'): FakeDocument {
  return {
    uri: Uri.file(path),
    languageId,
    version: 1,
    isClosed: false,
    getText: () => text,
    positionAt: (offset) => {
      const before = text.slice(0, offset);
      return new Position(before.split('\n').length - 1, offset - (before.lastIndexOf('\n') + 1));
    },
    offsetAt: () => 0,
  };
}

/** What tests drive and observe. */
export const fake = {
  opened: new EventEmitter<FakeDocument>(),
  changed: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
  closed: new EventEmitter<FakeDocument>(),
  log: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  mcpProviders: new Map<string, unknown>(),
  textDocuments: [] as FakeDocument[],
  open(document: FakeDocument): void {
    this.textDocuments.push(document);
    this.opened.fire(document);
  },
};

function outputChannel() {
  const line = (level: string) => (message: string) => fake.log.push(`${level} ${message}`);
  return {
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    debug: line('debug'),
    trace: line('trace'),
    appendLine: line('line'),
    show: () => undefined,
    dispose: () => undefined,
  };
}

export const window = namespace({
  createOutputChannel: outputChannel,
  createTreeView: () => ({ reveal: async () => undefined, dispose: () => undefined }),
  setStatusBarMessage: inert,
  showErrorMessage: async (message: string) => {
    fake.log.push(`shown error ${message}`);
    return undefined;
  },
  showWarningMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) =>
    task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: inert }),
  activeTextEditor: undefined,
});

export const workspace = namespace({
  get textDocuments() {
    return fake.textDocuments;
  },
  onDidOpenTextDocument: fake.opened.event,
  onDidChangeTextDocument: fake.changed.event,
  onDidCloseTextDocument: fake.closed.event,
  onDidSaveTextDocument: new EventEmitter<FakeDocument>().event,
  onDidChangeConfiguration: new EventEmitter<unknown>().event,
  getConfiguration: () => ({ get: <T>(_key: string, fallback?: T) => fallback, update: async () => undefined }),
  findFiles: async () => [],
  asRelativePath: (uri: Uri | string) => (typeof uri === 'string' ? uri : uri.path),
  registerFileSystemProvider: inert,
  fs: { readFile: async () => new Uint8Array() },
  workspaceFolders: undefined,
  workspaceFile: undefined,
  isTrusted: true,
  onDidGrantWorkspaceTrust: new EventEmitter<void>().event,
});

export const languages = namespace({
  createDiagnosticCollection: () =>
    namespace({
      set: () => undefined,
      delete: () => undefined,
      clear: () => undefined,
      get: () => undefined,
      has: () => false,
      forEach: () => undefined,
      dispose: () => undefined,
    }),
});

export const commands = namespace({
  registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
    if (fake.commands.has(id)) throw new Error(`command '${id}' already exists`);
    fake.commands.set(id, run);
    return new Disposable(() => fake.commands.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => {
    const run = fake.commands.get(id);
    if (!run) throw new Error(`command '${id}' not found`);
    return run(...args);
  },
});

export const lm = namespace({
  registerMcpServerDefinitionProvider: (id: string, provider: unknown) => {
    fake.mcpProviders.set(id, provider);
    return new Disposable(() => fake.mcpProviders.delete(id));
  },
});

export const env = namespace({ clipboard: { writeText: async () => undefined, readText: async () => '' } });
