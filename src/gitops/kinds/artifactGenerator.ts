import { isSeq } from 'yaml';
import { nodeAt, rangeOf, scalarString } from '../documents';
import type { RuleContext } from '../contract/ruleContext';
import { fields } from '../schemas/fieldSpec';
import { COMMON_METADATA } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { declared } from '../sources';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'source.extensions.fluxcd.io';
const DOCS = 'https://fluxoperator.dev/docs/crd/artifactgenerator';

const ALIAS = '^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)';

const V1BETA1 = kindSchema(
  `${GROUP}/v1beta1`,
  'ArtifactGenerator',
  fields(`
sources! object[] -- The Flux sources whose files the artifacts are made from, each under an alias.
  alias! string pattern=^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$ max=63 -- Name the copy operations use for this source, as @alias/path; unique per generator.
  kind! string enum=Bucket|GitRepository|OCIRepository|HelmChart|ExternalArtifact -- Kind of the source.
  name! string pattern=^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ max=253 -- Name of the source.
  namespace string pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ min=1 max=63 -- Namespace of the source; this object's namespace when left out.
artifacts! object[] -- The ExternalArtifacts to generate, each from files copied out of the sources.
  name! string min=1 max=253 -- Name of the ExternalArtifact; a Kustomization or HelmRelease refers to it by this name. May use {captures} of pathPattern.
  revision string pattern=${ALIAS}$ max=64 -- @alias of the source whose revision the artifact takes; the content digest when left out.
  originRevision string pattern=${ALIAS}$ max=64 -- @alias of the source whose origin revision (e.g. a Git commit) is recorded on the artifact.
  copy! object[] -- Copy operations, in order; later ones overwrite earlier files.
    from! string pattern=${ALIAS}/(.*)$ min=1 max=1024 -- Files to copy: @alias/glob, e.g. @repo/deploy/**.
    to! string pattern=^@(artifact)/(.*)$ min=1 max=1024 -- Where in the artifact: @artifact/path.
    exclude string[] -- Glob patterns of files matched by from to leave out.
    strategy string enum=Overwrite|Merge|Extract -- Overwrite files, merge YAML as Helm merges values, or extract tarballs.
pathPattern string pattern=${ALIAS}/(.*)$ max=1024 -- One artifact per matching folder: @alias/pattern with {captures} usable in the artifact fields.
${COMMON_METADATA}
`),
  {
    description:
      'Flux ArtifactGenerator (source-watcher): composes or splits source artifacts into ExternalArtifacts for Kustomizations and HelmReleases.',
  },
);

/**
 * Flux ArtifactGenerator (source.extensions.fluxcd.io/v1beta1, Flux 2.7+ source-watcher): composes
 * the files of its sources into the ExternalArtifacts `spec.artifacts[].name` names.
 */
export const artifactGenerator: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'ArtifactGenerator' }],
  matches: (apiVersion, kind) => kind === 'ArtifactGenerator' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1BETA1],
  wholeObjectFields: [['sources'], ['artifacts']],
  check: checkArtifactGenerator,
  declaredSources: (root) => {
    const artifacts = nodeAt(root, 'spec', 'artifacts');
    if (!isSeq(artifacts)) return [];
    const namespace = scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default';
    return artifacts.items.flatMap((_, index) => {
      const name = nodeAt(artifacts, index, 'name');
      return declared('ExternalArtifact', namespace, scalarString(name), rangeOf(name));
    });
  },
};

/**
 * Flux ArtifactGenerator (source.extensions.fluxcd.io/v1beta1): every `@alias` a copy operation,
 * pathPattern or revision uses must be one of the generator's sources, and aliases are unique.
 */
function checkArtifactGenerator(ctx: RuleContext): void {
  const sources = ctx.node('spec', 'sources');
  // A patch that leaves the sources to the object it patches cannot tell which aliases exist.
  if (!isSeq(sources)) return;
  const aliases = new Map<string, number>();
  sources.items.forEach((_, index) => {
    const alias = ctx.string('spec', 'sources', index, 'alias');
    if (alias === undefined) return;
    if (aliases.has(alias))
      ctx.report(
        'FLUX012',
        'error',
        `sources[${index}].alias "${alias}" is already used by sources[${aliases.get(alias)}]; aliases must be unique`,
        ctx.valueRange('spec', 'sources', index, 'alias'),
        DOCS,
      );
    else aliases.set(alias, index);
  });
  const known = [...aliases.keys()];
  const checkAlias = (path: (string | number)[], value: string | undefined) => {
    const alias = value === undefined ? undefined : /^@([^/]+)/.exec(value)?.[1];
    if (alias === undefined || alias === 'artifact' || aliases.has(alias)) return;
    ctx.report(
      'FLUX011',
      'error',
      `@${alias} is not a source of this ArtifactGenerator; use one of ${known.map((a) => `@${a}`).join(', ') || 'the aliases in spec.sources'}`,
      ctx.valueRange(...path),
      DOCS,
    );
  };
  checkAlias(['spec', 'pathPattern'], ctx.string('spec', 'pathPattern'));
  const artifacts = ctx.node('spec', 'artifacts');
  if (!isSeq(artifacts)) return;
  artifacts.items.forEach((_, a) => {
    for (const field of ['revision', 'originRevision'])
      checkAlias(['spec', 'artifacts', a, field], ctx.string('spec', 'artifacts', a, field));
    const copies = ctx.node('spec', 'artifacts', a, 'copy');
    if (!isSeq(copies)) return;
    copies.items.forEach((__, c) =>
      checkAlias(['spec', 'artifacts', a, 'copy', c, 'from'], ctx.string('spec', 'artifacts', a, 'copy', c, 'from')),
    );
  });
}
