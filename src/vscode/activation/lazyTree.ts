import * as vscode from 'vscode';

/**
 * The Registries view's data provider as registered at activation: it loads the real one (and the
 * OCI client behind it) when the view first asks for its children, then hands every call on.
 */
export class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private provider?: vscode.TreeDataProvider<T>;
  private loading?: Promise<vscode.TreeDataProvider<T>>;
  private forwarding?: vscode.Disposable;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<T>>) {}

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.real()).getChildren(element)) ?? [];
  }

  // Elements come from the real provider's getChildren, so it is loaded by the time these are asked.
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider!.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.provider?.getParent?.(element);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }

  private real(): Promise<vscode.TreeDataProvider<T>> {
    this.loading ??= this.load().then(
      (provider) => {
        this.provider = provider;
        this.forwarding = provider.onDidChangeTreeData?.((element) => this.changed.fire(element));
        return provider;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }
}
