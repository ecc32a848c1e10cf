import { isMap, type Document, type YAMLMap } from 'yaml';
import type { GitOpsKind } from '../contract/kind';
import type { KindSchema } from '../contract/kindSchema';
import { scalarString } from '../documents';
import { mayHoldOurKinds } from '../kindSniff';
import { holdsSource, sourceKey, type KnownSources, type SourceIndex } from '../sources';
import { application } from './application';
import { applicationSet } from './applicationSet';
import { artifactGenerator } from './artifactGenerator';
import { bucket } from './bucket';
import { externalArtifact } from './externalArtifact';
import { fluxInstance } from './fluxInstance';
import { helmRelease } from './helmRelease';
import { helmRepository } from './helmRepository';
import { imageVolume } from './imageVolume';
import { kustomization } from './kustomization';
import { ociRepository } from './ociRepository';
import { resourceSet } from './resourceSet';

export type { GitOpsKind } from '../contract/kind';

/** Every kind we validate, one module each. Adding a kind is adding its module here. */
export const gitOpsKinds: readonly GitOpsKind[] = [
  ociRepository,
  kustomization,
  helmRelease,
  application,
  applicationSet,
  externalArtifact,
  artifactGenerator,
  fluxInstance,
  resourceSet,
  bucket,
  helmRepository,
  imageVolume,
];

/** Our schemas, one per apiVersion and kind, from the kinds' modules. */
export const kindSchemas: readonly KindSchema[] = gitOpsKinds.flatMap((k) => k.schemas);

/** The kind whose checks apply to a document of this apiVersion and kind, if any. */
export function kindOf(apiVersion: string | undefined, kind: string | undefined): GitOpsKind | undefined {
  if (apiVersion === undefined || kind === undefined) return undefined;
  return gitOpsKinds.find((k) => k.matches(apiVersion, kind));
}

/** The kind of a parsed document (at a version our checks know), with its root map; syntax errors or not. */
export function kindOfDocument(doc: Document.Parsed): { kind: GitOpsKind; root: YAMLMap } | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const kind = kindOf(scalarString(root.get('apiVersion', true)), scalarString(root.get('kind', true)));
  return kind ? { kind, root } : undefined;
}

/**
 * Whether `apiVersion` and `kind` name a kind we validate, at any version; an unknown kind in one
 * of our groups counts while it is being typed. A kind of Kubernetes' own that we check one part
 * of counts only with `content` that holds the part: its parsed root map, or (when syntax errors
 * hide it) its text, read the way the file's text was.
 */
export function isOurKind(apiVersion: string | undefined, kind: string | undefined, content?: YAMLMap | string): boolean {
  if (apiVersion === undefined) return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const inGroup = gitOpsKinds.filter((k) => k.groupKinds.some((g) => g.group === group));
  const whole = inGroup.filter((k) => k.holdsOurPart === undefined);
  if (whole.length > 0 && (kind === undefined || kind === '' || whole.some((k) => k.groupKinds.some((g) => g.kind === kind)))) return true;
  const partly = inGroup.find((k) => k.holdsOurPart !== undefined && k.groupKinds.some((g) => g.group === group && g.kind === kind));
  if (!partly || content === undefined) return false;
  return typeof content === 'string' ? mayHoldOurKinds(content) : partly.holdsOurPart!(content);
}

/** The kind other documents name as their source by this kind name, when its sources are resolved. */
function sourceKindNamed(kind: string): GitOpsKind | undefined {
  return gitOpsKinds.find((k) => k.missingSource !== undefined && k.groupKinds.some((g) => g.kind === kind));
}

/** Whether references to sources of this kind are resolved (its sources are declared in YAML we read). */
export function isResolvedSourceKind(kind: string): boolean {
  return sourceKindNamed(kind) !== undefined;
}

/** The sources of an index, as rules resolve references against them. */
export function knownSources(index: SourceIndex): KnownSources {
  return {
    index,
    missing(kind, namespace, name) {
      const source = sourceKindNamed(kind);
      if (!source?.missingSource || holdsSource(index, sourceKey(kind, namespace, name))) return undefined;
      return source.missingSource(name, namespace);
    },
  };
}
