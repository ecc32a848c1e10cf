import { Readable } from 'node:stream';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { gunzipLimited } from '../../artifact/decompress';
import { readTar } from '../../artifact/tarReader';
import { MediaType, type RepositoryApi } from '../../oci';

const MAX_CHART_BYTES = 8 * 1024 * 1024;
const MAX_VALUES_BYTES = 2 * 1024 * 1024;

/** A chart's default values.yaml, as `helm show values` prints it: `<chart>/values.yaml` in the chart layer. */
export async function fetchChartValues(repo: RepositoryApi, reference: string, signal?: AbortSignal): Promise<string | undefined> {
  const { manifest } = await repo.fetchManifest(reference, { signal });
  if (!('layers' in manifest) || !manifest.layers) return undefined;
  const layer = manifest.layers.find((l) => l.mediaType === MediaType.HelmChart);
  if (!layer) return undefined;
  const bytes = await repo.fetchBlobBytes(layer, { signal, maxBytes: MAX_CHART_BYTES });
  const tar = gunzipLimited(Readable.from([bytes]), { maxOutputBytes: 64 * 1024 * 1024, maxRatio: 200 });
  let values: string | undefined;
  for await (const entry of readTar(tar)) {
    // The chart's own values.yaml sits one level down (`podinfo/values.yaml`); subcharts' are deeper.
    if (entry.type === 'file' && /^[^/]+\/values\.yaml$/.test(entry.path) && entry.content.length <= MAX_VALUES_BYTES)
      values ??= entry.content.toString('utf8');
  }
  return values;
}

/** A key a chart's values offer at some depth, with what its default is. */
export interface ValuesKey {
  key: string;
  /** `map`, `list`, or the default scalar as written. */
  preview: string;
  /** The comment above the key in values.yaml, when it has one. */
  comment?: string;
}

/**
 * The keys of values.yaml under `path`, in the chart's order. A `-` in the path is an item of a
 * list: a chart's default list items show the shape its templates read (ingress.hosts[].paths), so
 * the keys of every map item in the default list are offered, each once.
 */
export function valuesKeysAt(valuesYaml: string, path: string[]): ValuesKey[] {
  let nodes: unknown[] = [parseDocument(valuesYaml).contents];
  for (const key of path) {
    nodes =
      key === '-'
        ? nodes.flatMap((node) => (isSeq(node) ? node.items.filter((item) => isMap(item)) : []))
        : nodes.flatMap((node) => (isMap(node) && node.has(key) ? [node.get(key, true)] : []));
  }
  const keys = new Map<string, ValuesKey>();
  for (const node of nodes) {
    if (!isMap(node)) continue;
    for (const pair of (node as YAMLMap).items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (keys.has(key)) continue;
      const value = pair.value;
      const preview = isMap(value) ? 'map' : isSeq(value) ? 'list' : isScalar(value) ? JSON.stringify(value.value) : 'null';
      const comment = (pair.key as { commentBefore?: string }).commentBefore?.trim();
      keys.set(key, { key, preview, ...(comment ? { comment } : {}) });
    }
  }
  return [...keys.values()];
}
