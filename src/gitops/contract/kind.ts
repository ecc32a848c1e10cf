import type { YAMLMap } from 'yaml';
import type { ChartValuesAt, CompletionSite, KeyAt, SemverSite, ValueAt } from './completionSite';
import type { LiveTarget } from './liveTarget';
import type { RuleContext } from './ruleContext';
import type { KindSchema } from './kindSchema';
import type { DeclaredSource, MissingSource, SourceIndex } from '../sources';

/** A Kubernetes API group and kind, whatever the version (`source.toolkit.fluxcd.io` + `OCIRepository`). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A source one document names (a Kustomization's `sourceRef`, a HelmRelease's `chartRef`), where its name is written. */
export interface NamedSource {
  kind: string;
  namespace: string;
  name: string;
  /** The name's value. */
  range: [number, number];
}

/**
 * Everything we know of one GitOps kind: what identifies its documents, their JSON Schemas, our
 * rules, and what the rest of the validator needs of them. Each kind is one module in this folder;
 * the table in `index.ts` is what the engine, the validator, the schema service, the source index,
 * go-to-definition, the live checks and the patch detection iterate, so none of them names a kind.
 * Every function takes a document of this kind (`matches` said so) at its root map; `check` and
 * `liveTargets` only documents that parse, the source functions any (F12 works while typing).
 */
export interface GitOpsKind {
  /**
   * The group and kind of its documents, at any version: such a document is ours (it gets its
   * syntax checked and is indexed), whether or not `matches` knows its version. Every group must be
   * in `OUR_API_GROUPS` (kindSniff.ts), the cheap check that decides whether a file is read at all,
   * but for a kind with `holdsOurPart`. The core group is "" (`apiVersion: v1`).
   */
  readonly groupKinds: readonly GroupKind[];
  /**
   * For kinds of Kubernetes' own that we check one part of (the image volumes of Pods and
   * workloads): whether a document holds that part. One that does not is not ours at all (no
   * syntax check, no rules, no schema), and while the kind is being typed it is not ours either.
   * Their groups are those of `WORKLOAD_API_VERSIONS` (kindSniff.ts), not `OUR_API_GROUPS`.
   */
  holdsOurPart?(root: YAMLMap): boolean;
  /** Whether a document of this `apiVersion` and `kind` is one: the versions our checks below apply to. */
  matches(apiVersion: string, kind: string): boolean;
  /** Our JSON Schemas, one per apiVersion we have one for; the schema service picks one by apiVersion and kind. */
  readonly schemas: readonly KindSchema[];
  /**
   * Spec fields (paths under `spec`) every whole object of the kind has, or at least one of them:
   * a document with none is a fragment, a kustomize patch. Left out: never taken for a patch.
   */
  readonly wholeObjectFields?: readonly (readonly string[])[];
  /** The controller's rules beyond the CRD, reported on the context. */
  check?(ctx: RuleContext): void;
  /** The sources the document brings into existence, for references in other documents to resolve. */
  declaredSources?(root: YAMLMap): DeclaredSource[];
  /**
   * The sources the document names (sourceRef, chartRef). A kind that has this checks its
   * references against the workspace, so its findings are never cached by its text alone.
   */
  referencesSources?(root: YAMLMap): NamedSource[];
  /**
   * For a kind that other documents name as their source: what a reference to one the workspace
   * does not declare is told. References are resolved only to kinds that have it.
   */
  missingSource?(name: string, namespace: string): MissingSource;
  /**
   * The registry references the live checks ask about. `whole` is false for a partial object (a
   * kustomize patch), which is asked about only when it names everything needed. `sources` are the
   * sources the file (and, in the editor, the workspace) declares: a HelmRelease's chart.spec asks
   * about its chart only when its HelmRepository is an OCI one.
   */
  liveTargets?(root: YAMLMap, whole: boolean, sources?: SourceIndex): LiveTarget[];
  /** Registry completion: what the registry can offer for the value under the cursor (registries, tags, versions, digests). */
  completionSite?(root: YAMLMap, at: ValueAt, file: readonly YAMLMap[]): CompletionSite | undefined;
  /** The semver constraints a controller resolves against a registry, for the hover and CodeLens preview. */
  semverSites?(root: YAMLMap, file: readonly YAMLMap[]): SemverSite[];
  /**
   * For a key being typed inside a Helm values map (HelmRelease spec.values, Application helm.valuesObject):
   * the chart whose values.yaml offers the keys. `file` holds every document root of the file (a chartRef's
   * OCIRepository may sit beside the HelmRelease).
   */
  chartValuesAt?(root: YAMLMap, at: KeyAt, file: readonly YAMLMap[]): ChartValuesAt | undefined;
}
