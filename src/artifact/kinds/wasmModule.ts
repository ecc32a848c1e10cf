import { isIndex } from '../../oci';
import type { ArtifactKind, KindFacts } from './artifactKind';
import { WASM_CONFIG_V1, WASM_LAYER_V1, wasmFiles } from './kubewardenPolicy';
import { MAX_FACT_JSON_DEPTH, parseBoundedJson } from '../../text/boundedJson';

// The CNCF TAG Runtime "Wasm OCI Artifact" layout (tag-runtime.cncf.io/wgs/wasm/deliverables/
// wasm-oci-artifact, as bytecodealliance/rust-oci-wasm writes it): config
// application/vnd.wasm.config.v0+json (architecture, os, layerDigests, component imports/exports),
// layers application/wasm. The older wasm-to-oci layout (engineerd/wasm-to-oci) uses the v1 types
// kwctl also uses; a module in it that is not a single-layer policy lands here too.
const WASM_CONFIG_V0 = 'application/vnd.wasm.config.v0+json';
const MAX_CONFIG_BYTES = 64 * 1024;

export const wasmModule: ArtifactKind = {
  id: 'wasm',
  label: 'WebAssembly module',
  icon: 'circuit-board',
  matches: (t) =>
    !t.index &&
    (t.config === WASM_CONFIG_V0 ||
      t.config === WASM_CONFIG_V1 ||
      t.type === WASM_CONFIG_V0 ||
      (t.layers.length > 0 && t.layers.every((l) => l === 'application/wasm' || l === WASM_LAYER_V1))),
  async facts(manifest, read) {
    if (isIndex(manifest)) return {};
    const modules = manifest.layers.filter((l) => l.mediaType === 'application/wasm' || l.mediaType === WASM_LAYER_V1);
    const facts: KindFacts = { modules: modules.length, moduleSize: modules.reduce((n, l) => n + l.size, 0) };
    if (manifest.config.mediaType !== WASM_CONFIG_V0 || manifest.config.size > MAX_CONFIG_BYTES) return facts;
    try {
      const config = parseBoundedJson((await read(manifest.config, MAX_CONFIG_BYTES)).toString('utf8'), MAX_FACT_JSON_DEPTH) as Record<
        string,
        unknown
      >;
      const component = (typeof config.component === 'object' && config.component ? config.component : {}) as Record<string, unknown>;
      const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
      Object.assign(facts, {
        os: typeof config.os === 'string' ? config.os : undefined,
        architecture: typeof config.architecture === 'string' ? config.architecture : undefined,
        author: typeof config.author === 'string' ? config.author : undefined,
        exports: strings(component.exports),
        imports: strings(component.imports),
        target: typeof component.target === 'string' ? component.target : undefined,
      });
    } catch {
      // A module whose config cannot be read is still a module; its interfaces are just not shown.
    }
    return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
  },
  headline: (facts) => (facts.os ? `WebAssembly (${String(facts.os)})` : undefined),
  files: (manifest) => wasmFiles(manifest.layers, 'module.wasm'),
};
