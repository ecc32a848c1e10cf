import { reproducibleGzip } from '../../src/artifact/gzip';
import { writeTar, type TarEntry } from '../../src/artifact/tar';
import { bufferSource, digestOf, MediaType, type Descriptor, type ImageManifest, type RepositoryApi } from '../../src/oci';

/**
 * Pushes a Helm chart as `helm push` stores it (helm pkg/registry/client.go Push): a config of
 * media type application/vnd.cncf.helm.config.v1+json holding Chart.yaml as JSON, one layer
 * application/vnd.cncf.helm.chart.content.v1.tar+gzip with `<name>/Chart.yaml`, `<name>/values.yaml`
 * and the templates, tagged with the version (`+` spelled `_`).
 */
export async function pushHelmChart(
  repo: RepositoryApi,
  chart: { name: string; version: string; values?: string; templates?: Record<string, string> },
): Promise<Descriptor> {
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\n`,
    'values.yaml': chart.values ?? '',
    ...Object.fromEntries(Object.entries(chart.templates ?? {}).map(([path, text]) => [`templates/${path}`, text])),
  };
  const entries: TarEntry[] = [{ type: 'directory', path: chart.name }];
  if (chart.templates) entries.push({ type: 'directory', path: `${chart.name}/templates` });
  for (const [path, text] of Object.entries(files))
    entries.push({ type: 'file', path: `${chart.name}/${path}`, content: Buffer.from(text) });
  const layer = reproducibleGzip(writeTar(entries));
  const config = Buffer.from(JSON.stringify({ name: chart.name, version: chart.version, apiVersion: 'v2' }));
  await repo.pushBlob(bufferSource(config));
  await repo.pushBlob(bufferSource(layer));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.HelmConfig, digest: digestOf(config), size: config.length },
    layers: [{ mediaType: MediaType.HelmChart, digest: digestOf(layer), size: layer.length }],
    annotations: { 'org.opencontainers.image.title': chart.name, 'org.opencontainers.image.version': chart.version },
  };
  return repo.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.OciManifest, chart.version.replace(/\+/g, '_'));
}
