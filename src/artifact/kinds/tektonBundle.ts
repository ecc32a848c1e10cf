import type { ArtifactKind, FactList, FileLayer } from './artifactKind';

// tektoncd/pipeline docs/tekton-bundle-contracts.md: one resource per layer, each layer annotated
// with the resource's name, lower-cased kind and apiVersion; tektoncd/cli pkg/bundle/builder.go
// (`tkn bundle push`) tars each resource as the one entry of a gzipped layer on an empty image.
const KIND = 'dev.tekton.image.kind';
const NAME = 'dev.tekton.image.name';
const API_VERSION = 'dev.tekton.image.apiVersion';

/** A Tekton bundle: Tasks and Pipelines a PipelineRun references by `bundle`/`resolver: bundles`. */
export const tektonBundle: ArtifactKind = {
  id: 'tekton-bundle',
  label: 'Tekton bundle',
  icon: 'symbol-event',
  matches: (t, manifest) =>
    !t.index &&
    'layers' in manifest &&
    manifest.layers.length > 0 &&
    manifest.layers.every((l) => l.annotations?.[KIND] && l.annotations[NAME]),
  facts(manifest) {
    const layers = 'layers' in manifest ? manifest.layers : [];
    const resources: FactList = layers.map((l) => ({
      kind: l.annotations![KIND],
      name: l.annotations![NAME],
      apiVersion: l.annotations?.[API_VERSION],
    }));
    const named = (kind: string) => resources.filter((r) => r.kind === kind).map((r) => String(r.name));
    return Promise.resolve({ resources, tasks: named('task'), pipelines: named('pipeline') });
  },
  headline(facts) {
    const count = (list: unknown, word: string) =>
      Array.isArray(list) && list.length ? `${list.length} ${word}${list.length === 1 ? '' : 's'}` : undefined;
    const held = [count(facts.tasks, 'task'), count(facts.pipelines, 'pipeline')].filter(Boolean).join(', ');
    return held ? `Tekton: ${held}` : undefined;
  },
  // Each resource is the one file of its layer's tarball, named after the resource: shown as task/<name>.yaml.
  files: (manifest) =>
    manifest.layers.map((layer): FileLayer => ({
      layer,
      as: 'file',
      path: `${layer.annotations![KIND]}/${layer.annotations![NAME]}.yaml`,
      packed: /gzip/.test(layer.mediaType) ? 'tar+gzip' : 'tar',
    })),
};
