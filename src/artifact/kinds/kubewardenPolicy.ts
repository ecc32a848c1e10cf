import { isIndex, type Descriptor } from '../../oci';
import { wasmCustomSection } from '../wasmSections';
import { MAX_FACT_JSON_DEPTH, parseBoundedJson } from '../../text/boundedJson';
import { TITLE, type ArtifactKind, type FactList, type FileLayer, type KindFacts } from './artifactKind';
import { errorMessage } from '../../text/format';

// `kwctl push` (kubewarden/policy-fetcher src/registry/mod.rs, Registry::do_push): config `{}` of
// type application/vnd.wasm.config.v1+json, one layer application/vnd.wasm.content.layer.v1+wasm,
// no annotations. `kwctl annotate` puts the policy's metadata.yml, as JSON, in the module's custom
// section "io.kubewarden.metadata" (kubewarden-controller crates/policy-evaluator constants.rs), so
// that is the only place its rules and annotations are.
export const WASM_CONFIG_V1 = 'application/vnd.wasm.config.v1+json';
export const WASM_LAYER_V1 = 'application/vnd.wasm.content.layer.v1+wasm';
const METADATA_SECTION = 'io.kubewarden.metadata';
/** Policies are a few MiB; larger modules are described by their size alone. */
const MAX_MODULE_BYTES = 16 * 1024 * 1024;

export const kubewardenPolicy: ArtifactKind = {
  id: 'kubewarden-policy',
  label: 'Kubewarden policy',
  icon: 'shield',
  matches: (t) => !t.index && t.config === WASM_CONFIG_V1 && t.layers.length === 1 && t.layers[0] === WASM_LAYER_V1,
  async facts(manifest, read) {
    if (isIndex(manifest)) return {};
    const module = manifest.layers[0];
    const facts: KindFacts = { moduleSize: module.size };
    if (module.size > MAX_MODULE_BYTES) {
      facts.metadata = `not read: the module is over ${MAX_MODULE_BYTES / 1048576} MiB`;
      return facts;
    }
    let section: Buffer | undefined;
    try {
      // The module is parsed for its sections only, never compiled or run.
      section = wasmCustomSection(await read(module, MAX_MODULE_BYTES), METADATA_SECTION);
    } catch (error) {
      facts.metadata = `not read: ${errorMessage(error)}`;
      return facts;
    }
    if (!section) {
      facts.metadata = `none: the module has no "${METADATA_SECTION}" section (not annotated with kwctl annotate)`;
      return facts;
    }
    let metadata: Record<string, unknown>;
    let rules: FactList | undefined;
    try {
      const parsed = parseBoundedJson(section.toString('utf8'), MAX_FACT_JSON_DEPTH);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
      metadata = parsed as Record<string, unknown>;
      rules = rulesOf(metadata.rules);
    } catch (error) {
      facts.metadata = `not read: the "${METADATA_SECTION}" section is not usable: ${errorMessage(error)}`;
      return facts;
    }
    const annotations = (typeof metadata.annotations === 'object' && metadata.annotations) || {};
    const annotation = (key: string) => {
      const value = (annotations as Record<string, unknown>)[`io.kubewarden.policy.${key}`];
      return typeof value === 'string' ? value : undefined;
    };
    Object.assign(facts, {
      title: annotation('title'),
      version: annotation('version'),
      description: annotation('description'),
      author: annotation('author'),
      source: annotation('source'),
      license: annotation('license'),
      mutating: typeof metadata.mutating === 'boolean' ? metadata.mutating : undefined,
      contextAware: typeof metadata.contextAware === 'boolean' ? metadata.contextAware : undefined,
      executionMode: typeof metadata.executionMode === 'string' ? metadata.executionMode : undefined,
      policyType: typeof metadata.policyType === 'string' ? metadata.policyType : undefined,
      rules,
    });
    return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
  },
  headline: (facts) => (facts.title ? `Kubewarden ${String(facts.title)}${facts.version ? ` ${String(facts.version)}` : ''}` : undefined),
  files: (manifest) => wasmFiles(manifest.layers, 'policy.wasm'),
};

/** A module is one file, downloaded only if it is opened (it shows as binary; it is never run). */
export function wasmFiles(layers: Descriptor[], name: string): FileLayer[] {
  return layers.map((layer, i) => ({
    layer,
    as: 'file',
    path: layer.annotations?.[TITLE] ?? (layers.length === 1 ? name : `${i + 1}-${name}`),
  }));
}

/**
 * metadata.yml rules as Kubernetes admission rules: one line per rule. Their fields are lists of
 * strings (RuleWithOperations); anything else is refused by name rather than turned into text.
 */
function rulesOf(rules: unknown): FactList | undefined {
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules)) throw new Error('"rules" is not a list');
  return rules.map((rule: unknown, i) => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw new Error(`rules[${i}] is not an object`);
    const list = (key: string) => {
      const value = (rule as Record<string, unknown>)[key];
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
        throw new Error(`rules[${i}].${key} is not a list of strings`);
      return value.join(', ');
    };
    return { apiGroups: list('apiGroups'), apiVersions: list('apiVersions'), resources: list('resources'), operations: list('operations') };
  });
}
