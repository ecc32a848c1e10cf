import { isIndex, MediaType } from '../../oci';
import type { ArtifactKind, KindFacts } from './artifactKind';
import { MAX_FACT_JSON_DEPTH, parseBoundedJson } from '../../text/boundedJson';

const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * `helm push` (helm/helm pkg/registry/client.go): the config is Chart.yaml's metadata as JSON
 * (name, version, appVersion, …), the one layer the packaged chart.
 */
export const helmChart: ArtifactKind = {
  id: 'helm-chart',
  label: 'Helm chart',
  icon: 'library',
  matches: (t) =>
    t.type === MediaType.HelmConfig || (!t.index && (t.config === MediaType.HelmConfig || t.layers.includes(MediaType.HelmChart))),
  async facts(manifest, read) {
    if (isIndex(manifest) || manifest.config.mediaType !== MediaType.HelmConfig || manifest.config.size > MAX_CONFIG_BYTES) return {};
    try {
      const config = parseBoundedJson((await read(manifest.config, MAX_CONFIG_BYTES)).toString('utf8'), MAX_FACT_JSON_DEPTH) as Record<
        string,
        unknown
      >;
      const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined);
      const facts: KindFacts = {
        name: text('name'),
        version: text('version'),
        appVersion: text('appVersion'),
        description: text('description'),
        type: text('type'),
        kubeVersion: text('kubeVersion'),
        dependencies: Array.isArray(config.dependencies)
          ? (config.dependencies as Record<string, unknown>[]).map((d) => `${String(d.name)}${d.version ? ` ${String(d.version)}` : ''}`)
          : undefined,
      };
      return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
    } catch {
      // A chart whose config cannot be read is still a chart; its version is just not shown.
      return {};
    }
  },
  headline: (facts) =>
    facts.version ? `Helm ${String(facts.version)}${facts.appVersion ? ` (app ${String(facts.appVersion)})` : ''}` : undefined,
};
