import { isIndex, type Descriptor } from '../../oci';
import { TITLE, type ArtifactKind, type FactList, type FileLayer, type KindFacts } from './artifactKind';
import { MAX_FACT_JSON_DEPTH, parseBoundedJson } from '../../text/boundedJson';

// CNCF ModelPack (modelpack/model-spec docs/spec.md, annotations.md, specs-go/v1/mediatype.go; written
// by modctl): artifactType application/vnd.cncf.model.manifest.v1+json, config
// application/vnd.cncf.model.config.v1+json (descriptor, config, modelfs), one layer per file:
// application/vnd.cncf.model.{weight,weight.config,doc,code,dataset}.v1.{raw,tar,tar+gzip,tar+zstd},
// the path in org.cncf.model.filepath and the file's size in org.cncf.model.file.metadata+json.
const MANIFEST = 'application/vnd.cncf.model.manifest.v1+json';
const CONFIG = 'application/vnd.cncf.model.config.v1+json';
const FILEPATH = 'org.cncf.model.filepath';
const FILE_METADATA = 'org.cncf.model.file.metadata+json';
const MAX_CONFIG_BYTES = 256 * 1024;

export const modelPack: ArtifactKind = {
  id: 'ml-model',
  label: 'ML model',
  icon: 'hubot',
  matches: (t) => t.type === MANIFEST || t.config === CONFIG,
  async facts(manifest, read) {
    if (isIndex(manifest)) return {};
    const files: FactList = manifest.layers.map((layer) => ({ path: pathOf(layer), size: sizeOf(layer), role: roleOf(layer.mediaType) }));
    const facts: KindFacts = { files, totalSize: manifest.layers.reduce((n, l) => n + l.size, 0) };
    if (manifest.config.mediaType !== CONFIG || manifest.config.size > MAX_CONFIG_BYTES) return facts;
    try {
      const config = parseBoundedJson((await read(manifest.config, MAX_CONFIG_BYTES)).toString('utf8'), MAX_FACT_JSON_DEPTH) as Record<
        string,
        Record<string, unknown>
      >;
      const text = (group: string, key: string) => {
        const value = (config[group] as Record<string, unknown> | undefined)?.[key];
        return typeof value === 'string' && value ? value : undefined;
      };
      Object.assign(facts, {
        name: text('descriptor', 'name'),
        version: text('descriptor', 'version'),
        family: text('descriptor', 'family'),
        architecture: text('config', 'architecture'),
        format: text('config', 'format'),
        paramSize: text('config', 'paramSize'),
        precision: text('config', 'precision'),
        quantization: text('config', 'quantization'),
      });
    } catch {
      // The files still describe the model when its config cannot be read.
    }
    return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
  },
  headline: (facts) => (facts.name ? `Model ${String(facts.name)}${facts.paramSize ? ` (${String(facts.paramSize)})` : ''}` : undefined),
  // One file per layer, listed from the manifest: a model is browsed without downloading its weights.
  files: (manifest) =>
    manifest.layers.map((layer): FileLayer => {
      const packed = layer.mediaType.endsWith('.tar') ? 'tar' : layer.mediaType.endsWith('.tar+gzip') ? 'tar+gzip' : undefined;
      return { layer, as: 'file', path: pathOf(layer), size: sizeOf(layer), ...(packed ? { packed } : {}) };
    }),
};

function pathOf(layer: Descriptor): string {
  return layer.annotations?.[FILEPATH] ?? layer.annotations?.[TITLE] ?? layer.digest.replace(':', '-');
}

/** The file's own size when its metadata says it, else the layer's. */
function sizeOf(layer: Descriptor): number {
  try {
    const metadata = JSON.parse(layer.annotations?.[FILE_METADATA] ?? '') as { size?: unknown };
    if (typeof metadata.size === 'number') return metadata.size;
  } catch {
    // No metadata: the layer's size.
  }
  return layer.size;
}

function roleOf(mediaType: string): string {
  const match = /^application\/vnd\.cncf\.model\.([a-z.]+)\.v1/.exec(mediaType);
  return match ? match[1] : mediaType;
}
