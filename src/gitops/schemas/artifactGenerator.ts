import { fields, kubernetesObject } from './fieldSpec';
import { COMMON_METADATA } from './fluxCommon';

const ALIAS = '^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)';

export const artifactGeneratorV1beta1 = kubernetesObject(
  'source.extensions.fluxcd.io/v1beta1',
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
