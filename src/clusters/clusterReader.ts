import { ClusterError } from './errors';
import { loadKubeconfig, type KubeContext, type Kubeconfig, type KubeconfigSource } from './kubeconfig';
import type { ClusterSource, ContextReading } from './model';
import { readContext } from './readContext';
import { requestReconcile } from './reconcile';

export interface ClusterReaderOptions extends KubeconfigSource {
  /** How long one context may take, credentials included (default 10 s). */
  timeoutMs?: number;
  /** How long a reading is reused before the clusters are asked again (default 30 s). */
  cacheMs?: number;
}

export const DEFAULT_CLUSTER_TIMEOUT_MS = 10_000;
const DEFAULT_CACHE_MS = 30_000;

/**
 * The clusters of a kubeconfig, read on demand: every context at once, each within its own
 * deadline, each reading kept briefly so that the view and the Registries view asking in turn do
 * not ask the clusters twice. refresh() forgets the readings and re-reads the kubeconfig.
 */
export class ClusterReader {
  private kubeconfig: Promise<Kubeconfig> | undefined;
  private readonly readings = new Map<string, { at: number; reading: Promise<ContextReading> }>();

  constructor(private readonly options: ClusterReaderOptions) {}

  private config(): Promise<Kubeconfig> {
    this.kubeconfig ??= loadKubeconfig(this.options);
    // A kubeconfig that failed to load is read again next time (the user may fix it meanwhile).
    this.kubeconfig.catch(() => (this.kubeconfig = undefined));
    return this.kubeconfig;
  }

  async contexts(): Promise<KubeContext[]> {
    return (await this.config()).contexts;
  }

  async currentContext(): Promise<string | undefined> {
    return (await this.config()).current;
  }

  /** The named contexts (default: every context), in kubeconfig order. */
  async read(names?: readonly string[]): Promise<ContextReading[]> {
    const config = await this.config();
    if (names) {
      const unknown = names.filter((n) => !config.contexts.some((c) => c.name === n));
      if (unknown.length > 0)
        throw new ClusterError(
          `No context ${unknown.map((n) => `"${n}"`).join(', ')} in the kubeconfig (${config.files.join(', ')}); it has ${config.contexts.map((c) => c.name).join(', ')}`,
        );
    }
    const chosen = names ? config.contexts.filter((c) => names.includes(c.name)) : config.contexts;
    return Promise.all(chosen.map((c) => this.readOne(config, c)));
  }

  readContext(name: string): Promise<ContextReading> {
    return this.read([name]).then(([reading]) => reading);
  }

  private readOne(config: Kubeconfig, context: KubeContext): Promise<ContextReading> {
    const cached = this.readings.get(context.name);
    if (cached && Date.now() - cached.at < (this.options.cacheMs ?? DEFAULT_CACHE_MS)) return cached.reading;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
    let reading: Promise<ContextReading>;
    try {
      reading = readContext({ context: context.name, config: config.configFor(context.name), timeoutMs, ...pick(context) });
    } catch (error) {
      reading = Promise.resolve({
        context: context.name,
        sources: [],
        forbidden: [],
        missingKinds: [],
        error: (error as Error).message,
        elapsedMs: 0,
        readAt: new Date().toISOString(),
      });
    }
    this.readings.set(context.name, { at: Date.now(), reading });
    return reading;
  }

  /** Forget every reading and the kubeconfig: the next read asks the clusters again. */
  refresh(): void {
    this.readings.clear();
    this.kubeconfig = undefined;
  }

  /** Ask the controller of one source to reconcile now; the only write this reader ever makes. */
  async reconcile(
    source: Pick<ClusterSource, 'context' | 'kind' | 'apiVersion' | 'namespace' | 'name'>,
    now = new Date(),
  ): Promise<string> {
    const config = await this.config();
    const value = await requestReconcile(
      config.configFor(source.context),
      source,
      now,
      this.options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS,
    );
    this.readings.delete(source.context);
    return value;
  }
}

function pick(context: KubeContext): { server?: string; namespace?: string } {
  return { ...(context.server ? { server: context.server } : {}), ...(context.namespace ? { namespace: context.namespace } : {}) };
}
