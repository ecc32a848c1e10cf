import type { Diagnostic } from '../diagnostic';

export type RuleSeverity = Diagnostic['severity'];

/**
 * One code the validator can report. The kind modules report codes as string literals; the rule
 * catalogue test holds this list and the source text to each other (every code used is here, every
 * code here is used, each literal severity is one catalogued for it), and docs/rules.md is written
 * from it.
 */
export interface Rule {
  code: string;
  /** The severity the finding usually has. */
  severity: RuleSeverity;
  /** Other severities the same code is reported with, and when. */
  otherwise?: { severity: RuleSeverity; when: string }[];
  title: string;
  /** What is checked, in a sentence or two. */
  checks: string;
  /** The kinds (or files) it is reported on. */
  kinds: string[];
  /** The upstream behaviour it follows: the controller's or API server's source, a CRD, or the docs. */
  source: string;
  /** The quick fix offered, when there is one. */
  fix?: string;
}

const OCIREPO = 'OCIRepository';
const FLUX_SYNC = 'FluxInstance (OCI spec.sync)';
const LIVE_TARGETS = [
  'OCIRepository',
  'FluxInstance',
  'HelmRelease (OCI HelmRepository)',
  'Application',
  'ApplicationSet (template)',
  'image volumes',
];
const ARGO_APPLICATIONS = ['Application', 'ApplicationSet (template)'];
const SOURCE_CONTROLLER = 'fluxcd/source-controller v1.9 internal/controller/ocirepository_controller.go';
const ARGO_VALIDATION = 'argoproj/argo-cd util/argo/argo.go (ValidateRepo, ValidateDestination)';
const ARGO_OCI = 'argoproj/argo-cd util/oci/client.go; docs/user-guide/oci.md';
const ARGO_HELM_OCI = 'argoproj/argo-cd util/helm (IsHelmOciRepo); docs/user-guide/helm.md, "Helm OCI"';
const BUCKET_CEL = 'source.toolkit.fluxcd.io_buckets.yaml x-kubernetes-validations (source-controller v1.9.1 api/v1/bucket_types.go)';
const FLUX_OPERATOR_CEL = 'fluxcd.controlplane.io_fluxinstances.yaml x-kubernetes-validations (flux-operator v0.58)';
const KEP_4639 = 'Kubernetes ImageVolumeSource (KEP-4639), kubernetes.io/docs/concepts/storage/volumes/#image';

export const RULES: readonly Rule[] = [
  // The parse and the schema: every kind.
  {
    code: 'YAML001',
    severity: 'error',
    title: 'YAML syntax error',
    checks:
      'A document of a kind we validate that does not parse gets one finding, its first syntax error; the other checks of that document resume once it parses.',
    kinds: ['every kind validated'],
    source: 'YAML 1.2 (the `yaml` package); the controllers refuse a manifest that does not decode',
  },
  {
    code: 'YAML002',
    severity: 'error',
    otherwise: [{ severity: 'info', when: 'in the editor, which still opens the file' }],
    title: 'File too large to validate',
    checks: 'A file over 8 MiB that names our kinds is not read; `oci-gitops validate` fails on it so nothing passes a CI gate unchecked.',
    kinds: ['every kind validated'],
    source: 'this project (MAX_VALIDATED_BYTES in src/gitops/engine.ts)',
  },
  {
    code: 'SCHEMA',
    severity: 'error',
    title: 'Not what the CRD allows',
    checks:
      'Misspelt fields, wrong types, enum values, patterns and required fields, from JSON Schemas picked per document by apiVersion and kind.',
    kinds: ['every kind validated'],
    source:
      'the upstream CRDs vendored in test/fixtures/crds/ (Flux 2.9 controllers, source-watcher v2.2, Flux Operator v0.58, Argo CD v3.5)',
  },

  // Flux OCIRepository, and the OCIRepository a FluxInstance's OCI sync creates.
  {
    code: 'OCI000',
    severity: 'warning',
    title: 'Removed apiVersion source.toolkit.fluxcd.io/v1beta2',
    checks: 'An OCIRepository of v1beta2, served as deprecated up to Flux 2.7 and removed in Flux 2.8; the v1 spec is the same.',
    kinds: [OCIREPO],
    source: 'fluxcd/source-controller commit f3ba9f91 (v1beta2 dropped from the CRD, first shipped in v1.8.0)',
    fix: 'Change apiVersion to source.toolkit.fluxcd.io/v1',
  },
  {
    code: 'OCI001',
    severity: 'error',
    title: 'spec or url missing',
    checks: 'An OCIRepository without a spec, or without spec.url; a FluxInstance OCI sync without spec.sync.url.',
    kinds: [OCIREPO, FLUX_SYNC],
    source: 'OCIRepository CRD (url and interval required)',
  },
  {
    code: 'OCI002',
    severity: 'error',
    title: 'url without oci://',
    checks: 'The url must start with oci://.',
    kinds: [OCIREPO, FLUX_SYNC],
    source: `OCIRepository CRD pattern ^oci://.*$; parseRepository in ${SOURCE_CONTROLLER}`,
    fix: 'Add oci:// (when the url has no other scheme)',
  },
  {
    code: 'OCI003',
    severity: 'error',
    title: 'url names no valid repository',
    checks:
      'oci://registry/repository with a repository name of the distribution-spec grammar (lowercase parts separated by ".", "_", "__", "-" and "/").',
    kinds: [OCIREPO, FLUX_SYNC],
    source: 'opencontainers/distribution-spec spec.md (name grammar); parseRepository in source-controller',
  },
  {
    code: 'OCI004',
    severity: 'error',
    title: 'Tag or digest in the url',
    checks:
      'The url must not carry :tag or @digest; the tag goes in spec.ref.tag (spec.sync.ref for a FluxInstance), the digest in spec.ref.digest.',
    kinds: [OCIREPO, FLUX_SYNC],
    source: `parseRepository in ${SOURCE_CONTROLLER} ("URL must not contain a tag")`,
    fix: 'Move the tag to spec.ref.tag or spec.sync.ref, or remove it from the url',
  },
  {
    code: 'OCI005',
    severity: 'error',
    title: 'spec.interval missing or not a duration',
    checks: 'spec.interval is required and is a Go duration in ms, s, m or h (5m, 1h30m).',
    kinds: [OCIREPO],
    source: 'OCIRepository CRD (interval required, pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$)',
    fix: 'Add interval: 5m',
  },
  {
    code: 'OCI006',
    severity: 'error',
    title: 'spec.timeout not a duration',
    checks: 'spec.timeout is a duration in ms, s or m; hours are not allowed.',
    kinds: [OCIREPO],
    source: 'OCIRepository CRD (timeout pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m))+$)',
  },
  {
    code: 'OCI007',
    severity: 'info',
    title: 'No spec.ref: follows latest',
    checks: 'Without spec.ref the controller follows the mutable latest tag; a judgement call the Flux docs show, so an information.',
    kinds: [OCIREPO],
    source: `${SOURCE_CONTROLLER} (no ref means the tag latest); fluxcd.io/flux/components/source/ocirepositories`,
  },
  {
    code: 'OCI008',
    severity: 'error',
    title: 'spec.ref.digest malformed',
    checks: 'spec.ref.digest must be sha256: followed by 64 lowercase hex digits.',
    kinds: [OCIREPO],
    source: 'opencontainers/image-spec descriptor.md (digest grammar); OCIRepository API doc comment (sha256:<HASH>)',
  },
  {
    code: 'OCI009',
    severity: 'error',
    title: 'spec.ref.semver not a constraint',
    checks: 'spec.ref.semver must parse as a Masterminds semver v3 constraint (">=1.0.0 <2.0.0", "1.x").',
    kinds: [OCIREPO],
    source: `Masterminds/semver v3 constraints.go, as ${SOURCE_CONTROLLER} uses it`,
  },
  {
    code: 'OCI010',
    severity: 'error',
    title: 'Tag not valid',
    checks: 'spec.ref.tag (spec.sync.ref for a FluxInstance) must match the OCI tag grammar [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.',
    kinds: [OCIREPO, FLUX_SYNC],
    source: 'opencontainers/distribution-spec spec.md (tag grammar)',
  },
  {
    code: 'OCI011',
    severity: 'warning',
    title: 'Several ref selectors: one is ignored',
    checks: 'When spec.ref sets more than one of digest, semver and tag, only the first in that order counts; the others are ignored.',
    otherwise: [
      {
        severity: 'info',
        when: "for a tag beside a digest, the pinned form Renovate's flux manager writes (the tag only names the digest)",
      },
    ],
    kinds: [OCIREPO],
    source: `${SOURCE_CONTROLLER} (precedence digest > semver > tag); OCIRepository docs`,
  },
  {
    code: 'OCI012',
    severity: 'info',
    title: 'Follows the latest tag',
    checks: 'spec.ref.tag (or spec.sync.ref) is latest: the cluster changes with every push, without a commit.',
    kinds: [OCIREPO, FLUX_SYNC],
    source: 'Flux OCIRepository docs (tag, semver and digest references)',
  },
  {
    code: 'OCI013',
    severity: 'error',
    title: 'spec.ref.semverFilter not a regular expression',
    checks: 'spec.ref.semverFilter must compile as a Go (RE2) regular expression.',
    kinds: [OCIREPO],
    source: `${SOURCE_CONTROLLER} (regexp.Compile of semverFilter)`,
  },
  {
    code: 'OCI014',
    severity: 'warning',
    title: 'semverFilter without semver',
    checks: 'spec.ref.semverFilter only applies together with spec.ref.semver; alone it is ignored.',
    kinds: [OCIREPO],
    source: `${SOURCE_CONTROLLER}; OCIRepository API (semverFilter applies only with semver)`,
  },
  {
    code: 'OCI015',
    severity: 'error',
    title: 'Value outside its enum',
    checks:
      'spec.provider (generic, aws, azure, gcp), spec.layerSelector.operation (extract, copy), spec.verify.provider (cosign, notation).',
    kinds: [OCIREPO],
    source: 'OCIRepository CRD enums (api/v1/ocirepository_types.go, ociverification_types.go)',
  },
  {
    code: 'OCI016',
    severity: 'error',
    title: 'matchOIDCIdentity entry incomplete or not a regular expression',
    checks: 'Each spec.verify.matchOIDCIdentity entry needs issuer and subject, each a Go (RE2) regular expression.',
    kinds: [OCIREPO],
    source: 'OCIRepository CRD (issuer and subject required); source-controller internal/oci/cosign/cosign.go (Go regular expressions)',
  },
  {
    code: 'OCI017',
    severity: 'info',
    title: 'Keyless verification accepts any identity',
    checks: 'cosign verification without secretRef and without matchOIDCIdentity accepts a signature from anyone with a Sigstore identity.',
    kinds: [OCIREPO],
    source: 'Flux OCIRepository docs, "Keyless verification"',
  },
  {
    code: 'OCI018',
    severity: 'error',
    title: 'Notation verification without a trust policy',
    checks: 'spec.verify.provider notation needs spec.verify.secretRef: a Secret with trustpolicy.json and the certificates.',
    kinds: [OCIREPO],
    source:
      'source-controller internal/oci/notation/notation.go (trustpolicy.json and certificates from the Secret); docs/spec/v1/ocirepositories.md',
  },
  {
    code: 'OCI020',
    severity: 'info',
    title: 'Plain HTTP to a remote registry',
    checks: 'insecure: true on a registry that is not on loopback sends pulls over plain HTTP.',
    kinds: [OCIREPO],
    source: 'OCIRepository API (insecure allows plain HTTP)',
  },

  // Flux Kustomization, HelmRelease, FluxInstance, ArtifactGenerator.
  {
    code: 'FLUX001',
    severity: 'error',
    title: 'Required field missing',
    checks:
      'A Kustomization needs a spec with interval, prune and sourceRef; a HelmRelease a spec with interval; a sourceRef or chartRef needs name.',
    kinds: ['Kustomization', 'HelmRelease'],
    source: 'Kustomization and HelmRelease CRDs (kustomize-controller v1.9, helm-controller v1.6: required lists)',
    fix: 'Add interval: 10m, or prune: true',
  },
  {
    code: 'FLUX002',
    severity: 'error',
    title: 'Kustomization interval not a duration',
    checks: 'spec.interval is a Go duration in ms, s, m or h.',
    kinds: ['Kustomization'],
    source: 'Kustomization CRD (interval pattern)',
  },
  {
    code: 'FLUX003',
    severity: 'error',
    title: 'chart and chartRef: exactly one',
    checks: 'A HelmRelease sets either spec.chart or spec.chartRef, not both and not neither.',
    kinds: ['HelmRelease'],
    source: 'HelmRelease CRD x-kubernetes-validations ("either chart or chartRef must be set")',
  },
  {
    code: 'FLUX004',
    severity: 'error',
    title: 'Source kind not accepted',
    checks:
      'Kustomization spec.sourceRef.kind is one of OCIRepository, GitRepository, Bucket, ExternalArtifact; HelmRelease spec.chartRef.kind one of OCIRepository, HelmChart, ExternalArtifact.',
    kinds: ['Kustomization', 'HelmRelease'],
    source: 'kustomize-controller api/v1/reference_types.go and helm-controller api/v2 (kind enums)',
  },
  {
    code: 'FLUX005',
    severity: 'warning',
    otherwise: [{ severity: 'info', when: "the missing source is the cluster's own flux-system, usually created at bootstrap" }],
    title: 'Source not in the workspace',
    checks:
      "A sourceRef or chartRef to an OCIRepository or Bucket must name one declared in the workspace (or the files given to validate); a FluxInstance sync and an ArtifactGenerator's artifacts count as the sources they create.",
    kinds: ['Kustomization', 'HelmRelease'],
    source: 'kustomize-controller and helm-controller (a reference to a missing source fails the reconciliation)',
  },
  {
    code: 'FLUX006',
    severity: 'info',
    title: 'Chart OCIRepository unpacks the chart',
    checks:
      'A HelmRelease chartRef to an OCIRepository whose layerSelector does not take the Helm chart layer with operation copy, as the Flux docs recommend.',
    kinds: ['HelmRelease'],
    source: 'fluxcd/helm-controller docs/spec/v2/helmreleases.md (chartRef to an OCIRepository)',
  },
  {
    code: 'FLUX007',
    severity: 'error',
    title: 'A chart name, not a reference',
    checks: 'A HelmRelease chart.spec.chart from an OCI HelmRepository must be a chart name (no :version, no @digest).',
    kinds: ['HelmRelease (OCI HelmRepository)'],
    source: 'source-controller internal/helm/repository/oci_chart_repository.go',
  },
  {
    code: 'FLUX008',
    severity: 'error',
    title: 'Not a version Flux can fetch from an OCI HelmRepository',
    checks:
      'A HelmRelease chart.spec.version from an OCI HelmRepository must be a strict version or a semver range (never latest or v1.2.3).',
    kinds: ['HelmRelease (OCI HelmRepository)'],
    source: 'source-controller oci_chart_repository.go getLastMatchingVersionOrConstraint and helm pkg/registry/client.go Tags',
  },
  {
    code: 'FLUX009',
    severity: 'error',
    title: 'Persistent sharding storage without spec.storage',
    checks: 'spec.sharding.storage persistent needs spec.storage (class and size of the volumes).',
    kinds: ['FluxInstance'],
    source: `${FLUX_OPERATOR_CEL} (".spec.storage must be set when .spec.sharding.storage is 'persistent'")`,
  },
  {
    code: 'FLUX010',
    severity: 'error',
    title: 'Multi-tenant workload identity without object-level identity',
    checks: 'spec.cluster.multitenantWorkloadIdentity needs spec.cluster.objectLevelWorkloadIdentity: true.',
    kinds: ['FluxInstance'],
    source: `${FLUX_OPERATOR_CEL} (".objectLevelWorkloadIdentity must be set to true when .multitenantWorkloadIdentity …")`,
  },
  {
    code: 'FLUX011',
    severity: 'error',
    title: 'Unknown source alias',
    checks:
      "Every @alias in spec.pathPattern, an artifact's revision, originRevision or copy[].from must be one of the generator's spec.sources.",
    kinds: ['ArtifactGenerator'],
    source:
      'source.extensions.fluxcd.io_artifactgenerators.yaml (source-watcher v2.2.1): a reference "must point to an existing source alias"',
  },
  {
    code: 'FLUX012',
    severity: 'error',
    title: 'Source alias used twice',
    checks: 'spec.sources[].alias values are unique.',
    kinds: ['ArtifactGenerator'],
    source: 'source.extensions.fluxcd.io_artifactgenerators.yaml (source-watcher v2.2.1): "The alias must be unique per ArtifactGenerator"',
  },
  {
    code: 'FLUX013',
    severity: 'error',
    title: 'A FluxInstance is named flux',
    checks: 'The Flux Operator accepts one FluxInstance per cluster, named flux.',
    kinds: ['FluxInstance'],
    source: `${FLUX_OPERATOR_CEL} ("the only accepted name for a FluxInstance is 'flux'")`,
    fix: 'Rename the FluxInstance to flux',
  },
  {
    code: 'FLUX014',
    severity: 'error',
    title: 'The sync provider does not fit the sync kind',
    checks: 'A FluxInstance spec.sync.provider must be one the sync kind (GitRepository, OCIRepository, Bucket) takes.',
    kinds: ['FluxInstance'],
    source: `${FLUX_OPERATOR_CEL} (sync.provider)`,
  },

  // Flux HelmRepository.
  {
    code: 'HREPO001',
    severity: 'error',
    title: 'oci:// url and type: oci go together',
    checks:
      'An oci:// url needs type: oci, and type: oci needs an oci:// url; otherwise source-controller reads an OCI address as an index URL.',
    kinds: ['HelmRepository'],
    source: 'fluxcd/source-controller docs/spec/v1/helmrepositories.md (type oci)',
    fix: 'Set type: oci',
  },
  {
    code: 'HREPO002',
    severity: 'error',
    title: 'OCI url not a registry path',
    checks:
      'An OCI HelmRepository url is oci://registry/path with no tag or digest: charts sit under it, the version goes in the HelmRelease.',
    kinds: ['HelmRepository'],
    source: 'source-controller internal/helm/repository/oci_chart_repository.go (appends the chart name to the url)',
  },

  // Flux Bucket.
  {
    code: 'BUCKET001',
    severity: 'error',
    title: 'spec.sts with the wrong provider',
    checks:
      'spec.sts only with the aws and generic providers; sts.provider aws with aws and ldap with generic; sts.secretRef and certSecretRef only with ldap.',
    kinds: ['Bucket'],
    source: BUCKET_CEL,
  },
  {
    code: 'BUCKET002',
    severity: 'error',
    title: 'serviceAccountName not allowed here',
    checks: 'spec.serviceAccountName is not for the generic provider (the default) and not together with spec.secretRef.',
    kinds: ['Bucket'],
    source: BUCKET_CEL,
  },
  {
    code: 'BUCKET003',
    severity: 'error',
    title: "Endpoint not in the form the provider's client takes",
    checks:
      "generic and aws: host[:port] with no scheme and no path, not a bucket's virtual host; azure: the blob service URL with its scheme; never empty.",
    kinds: ['Bucket'],
    source: 'source-controller v1.9.1 internal/bucket/{minio,azure}; minio-go v7 getEndpointURL and isValidEndpointURL',
    fix: 'Remove https:// (or http:// and set insecure: true); add https:// for azure; use the service endpoint',
  },
  {
    code: 'BUCKET004',
    severity: 'error',
    title: 'Bucket name refused',
    checks:
      "spec.bucketName holds no path (a folder goes in spec.prefix) and, for generic and aws, passes the MinIO client's bucket name check.",
    kinds: ['Bucket'],
    source: 'minio-go v7 pkg/s3utils CheckValidBucketName, as source-controller v1.9.1 uses it',
  },
  {
    code: 'BUCKET005',
    severity: 'warning',
    title: 'Ignored by the provider, or the wrong region',
    checks:
      "insecure and certSecretRef with azure or gcp, an endpoint other than storage.googleapis.com with gcp, and a spec.region that is not the S3 endpoint's region.",
    kinds: ['Bucket'],
    source: 'source-controller v1.9.1 internal/bucket/{minio,azure,gcp}',
  },
  {
    code: 'BUCKET006',
    severity: 'info',
    title: 'Plain HTTP to a remote endpoint',
    checks: 'insecure: true, or an http:// azure endpoint, on a host that is not loopback: credentials travel in clear.',
    kinds: ['Bucket'],
    source: 'source-controller v1.9.1 internal/bucket/minio (insecure selects http://)',
  },
  {
    code: 'BUCKET007',
    severity: 'warning',
    title: 'spec.ignore line that never matches',
    checks: 'A malformed glob, a trailing \\, a ** that is not a whole path part, or an indented # comment (which is a pattern).',
    kinds: ['Bucket'],
    source: 'fluxcd/pkg sourceignore (ReadPatterns), go-git gitignore.ParsePattern, Go path/filepath Match',
  },

  // Argo CD Application.
  {
    code: 'ARGO001',
    severity: 'error',
    title: 'spec, project or destination missing',
    checks: 'An Application needs a spec with project, destination and a source.',
    kinds: ARGO_APPLICATIONS,
    source: 'Application CRD (spec.project and spec.destination required)',
    fix: 'Add project: default; add a destination with server and namespace',
  },
  {
    code: 'ARGO002',
    severity: 'error',
    title: 'Destination server or name: exactly one',
    checks: 'spec.destination sets server or name, not both and not neither.',
    kinds: ARGO_APPLICATIONS,
    source: `${ARGO_VALIDATION} ("can't have both name and server defined")`,
  },
  {
    code: 'ARGO003',
    severity: 'warning',
    title: 'A source field that is ignored',
    checks: 'spec.sources wins over spec.source, and spec.sourceHydrator over both: the one that loses is ignored.',
    kinds: ARGO_APPLICATIONS,
    source: 'argoproj/argo-cd pkg/apis/application/v1alpha1/types.go (ApplicationSpec.GetSources, HasMultipleSources)',
  },
  {
    code: 'ARGO004',
    severity: 'error',
    title: 'No source, or a source without repoURL or path',
    checks: 'A source is required; each needs repoURL; a single source needs path or chart.',
    kinds: ARGO_APPLICATIONS,
    source: `Application CRD (repoURL required); ${ARGO_VALIDATION}`,
  },
  {
    code: 'ARGO005',
    severity: 'error',
    title: 'Chart without targetRevision',
    checks: 'A source with chart needs targetRevision, the chart version.',
    kinds: ARGO_APPLICATIONS,
    source: ARGO_VALIDATION,
  },
  {
    code: 'ARGO006',
    severity: 'error',
    title: 'Tag or digest in an oci:// repoURL',
    checks: 'An oci:// repoURL carries no :tag or @digest; the revision goes in targetRevision.',
    kinds: ARGO_APPLICATIONS,
    source: ARGO_OCI,
    fix: 'Move it to targetRevision',
  },
  {
    code: 'ARGO007',
    severity: 'error',
    title: 'oci:// source without path',
    checks: `An oci:// source needs path ("." for the artifact's root), unless it names a chart or is a ref-only source of several.`,
    kinds: ARGO_APPLICATIONS,
    source: ARGO_OCI,
    fix: 'Add path: .',
  },
  {
    code: 'ARGO008',
    severity: 'error',
    title: 'targetRevision not a tag, digest or constraint',
    checks: 'For an oci:// source, targetRevision is a tag, a sha256 digest or a semver constraint.',
    kinds: ARGO_APPLICATIONS,
    source: `${ARGO_OCI} (resolveRevision); util/versions/tags.go`,
  },
  {
    code: 'ARGO009',
    severity: 'error',
    title: 'OCI Helm chart with a path other than "."',
    checks: 'A Helm chart from an oci:// source needs path ".".',
    kinds: ARGO_APPLICATIONS,
    source: 'argoproj/argo-cd docs/user-guide/oci.md (Helm charts)',
    fix: 'Set path to .',
  },
  {
    code: 'ARGO010',
    severity: 'error',
    title: 'sources[].ref malformed or repeated',
    checks: 'A ref holds only letters, digits, "_" and "-", and is unique among the sources.',
    kinds: ARGO_APPLICATIONS,
    source: ARGO_VALIDATION,
  },
  {
    code: 'ARGO011',
    severity: 'warning',
    title: 'Unknown sync option',
    checks: 'Each spec.syncPolicy.syncOptions entry is Name=value with a name Argo CD knows.',
    kinds: ARGO_APPLICATIONS,
    source: 'argoproj/gitops-engine pkg/sync/common/types.go (sync option names); Argo CD docs/user-guide/sync-options.md',
  },
  {
    code: 'ARGO012',
    severity: 'error',
    title: 'Helm OCI repoURL without chart',
    checks:
      'A repoURL of the form registry/path (no scheme) is a Helm OCI repository and needs chart; manifests are written oci://… with path.',
    kinds: ARGO_APPLICATIONS,
    source: ARGO_HELM_OCI,
  },
  {
    code: 'ARGO013',
    severity: 'error',
    title: 'Version or digest in chart',
    checks: "chart is the chart's name only; its version goes in targetRevision.",
    kinds: ARGO_APPLICATIONS,
    source: ARGO_HELM_OCI,
  },
  {
    code: 'ARGO014',
    severity: 'warning',
    title: "repoURL already ends with the chart's name",
    checks: 'Argo CD appends chart to repoURL, so a repoURL ending with it points one level too deep.',
    kinds: ARGO_APPLICATIONS,
    source: ARGO_HELM_OCI,
  },
  {
    code: 'ARGO015',
    severity: 'error',
    title: 'Helm OCI targetRevision not a version or range',
    checks: 'A Helm chart from an OCI registry is picked by version or semver range (1.2.3, ^1.2, *); a tag such as latest is not one.',
    kinds: ARGO_APPLICATIONS,
    source: 'argoproj/argo-cd util/versions/tags.go (MaxVersion); util/helm/client.go (GetTags)',
  },

  // Argo CD ApplicationSet: the generators and templating (its template is judged by the ARGO rules).
  {
    code: 'APPSET001',
    severity: 'error',
    title: 'Unknown generator',
    checks: 'A generator key the controller does not know, at the top or inside a matrix or merge (where the CRD accepts anything).',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/utils/utils.go CheckInvalidGenerators',
  },
  {
    code: 'APPSET002',
    severity: 'error',
    otherwise: [{ severity: 'warning', when: 'for an empty entry at the top level, which the controller skips' }],
    title: 'An entry without a generator',
    checks: 'A generators entry (or a matrix or merge child) that names no generator.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/matrix.go ("child generator generated no parameters")',
  },
  {
    code: 'APPSET003',
    severity: 'error',
    title: 'A matrix takes exactly two children',
    checks: 'spec.generators[].matrix.generators must list exactly two generators.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/matrix.go',
  },
  {
    code: 'APPSET004',
    severity: 'error',
    title: 'A merge takes two or more children and a merge key',
    checks: 'spec.generators[].merge.generators needs at least two generators, and mergeKeys must not be empty.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/merge.go',
  },
  {
    code: 'APPSET005',
    severity: 'error',
    title: 'One generator per child',
    checks: 'A matrix or merge child that holds more than one generator.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/matrix.go (ErrMoreThenOneInnerGenerators)',
  },
  {
    code: 'APPSET006',
    severity: 'error',
    title: 'A matrix or merge nests only once',
    checks: 'A matrix or merge inside a nested matrix or merge, which the controller cannot read.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset NestedMatrixGenerator; docs/operator-manual/applicationset/Generators-Matrix.md',
  },
  {
    code: 'APPSET007',
    severity: 'warning',
    title: "A child generator's template is ignored",
    checks: 'A template override on a matrix or merge child, which the controller ignores.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 docs/operator-manual/applicationset/Generators-Matrix.md',
  },
  {
    code: 'APPSET008',
    severity: 'error',
    otherwise: [{ severity: 'warning', when: 'when both directories and files are set' }],
    title: 'Git generator without directories or files',
    checks: 'A git generator needs directories or files to produce parameters.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/git.go',
  },
  {
    code: 'APPSET009',
    severity: 'error',
    title: 'SCM provider or pull request generator: one service',
    checks: 'An scmProvider or pullRequest generator names no service, or several.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/generators/scm_provider.go, pull_request.go',
  },
  {
    code: 'APPSET010',
    severity: 'error',
    title: 'Unknown goTemplateOptions value',
    checks: "goTemplateOptions holds something Go's text/template Option does not take (missingkey=default|invalid|zero|error).",
    kinds: ['ApplicationSet'],
    source: 'Go text/template Template.Option',
  },
  {
    code: 'APPSET011',
    severity: 'warning',
    title: 'goTemplateOptions without goTemplate',
    checks: 'Options are read only when goTemplate is true.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 docs/operator-manual/applicationset/GoTemplate.md',
  },
  {
    code: 'APPSET012',
    severity: 'error',
    title: 'templatePatch needs goTemplate',
    checks: 'spec.templatePatch is applied only with goTemplate: true.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 docs/operator-manual/applicationset/Template.md',
  },
  {
    code: 'APPSET013',
    severity: 'error',
    title: 'templatePatch cannot set the project',
    checks: 'A templatePatch that sets spec.project, which the controller refuses.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 docs/operator-manual/applicationset/Template.md',
  },
  {
    code: 'APPSET014',
    severity: 'error',
    title: 'Go template syntax without goTemplate',
    checks: '{{ .path.basename }}-style actions in a template whose goTemplate is off: the plain substitution leaves them as written.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/utils/utils.go (Replace)',
  },
  {
    code: 'APPSET015',
    severity: 'error',
    title: 'Plain {{param}} with goTemplate on',
    checks: 'A {{name}} placeholder in a Go template, which Go reads as a function call.',
    kinds: ['ApplicationSet'],
    source: 'Go text/template',
  },
  {
    code: 'APPSET016',
    severity: 'warning',
    title: 'Unknown strategy type',
    checks: 'spec.strategy.type other than AllAtOnce or RollingSync.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/controllers/progressive_sync.go',
  },
  {
    code: 'APPSET017',
    severity: 'warning',
    title: 'RollingSync without steps',
    checks: 'A RollingSync strategy with no steps, or rollingSync set without its type.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/controllers/progressive_sync.go',
  },
  {
    code: 'APPSET018',
    severity: 'warning',
    title: 'Unknown deletionOrder',
    checks: 'spec.strategy.deletionOrder other than AllAtOnce or Reverse.',
    kinds: ['ApplicationSet'],
    source: 'argoproj/argo-cd v3.5 applicationset/controllers/progressive_sync.go',
  },

  // Kubernetes image volumes.
  {
    code: 'IMGVOL001',
    severity: 'error',
    otherwise: [{ severity: 'warning', when: 'in a Pod template, which a tool or admission webhook may complete' }],
    title: 'Image volume without reference',
    checks: 'volumes[].image.reference names the image or artifact to mount.',
    kinds: ['Pod', 'workloads with a Pod template'],
    source: `${KEP_4639}: the API server rejects a Pod whose image volume has no reference`,
  },
  {
    code: 'IMGVOL002',
    severity: 'error',
    title: 'Image volume reference not an image reference',
    checks: 'The reference is read as the kubelet reads a container image: no scheme, host/repository:tag or @sha256:digest.',
    kinds: ['Pod', 'workloads with a Pod template'],
    source: `${KEP_4639}; distribution/reference grammar (the kubelet's image parser)`,
    fix: 'Remove the scheme (oci://)',
  },
  {
    code: 'IMGVOL003',
    severity: 'error',
    title: 'pullPolicy not Always, IfNotPresent or Never',
    checks: 'image.pullPolicy is one of Always, IfNotPresent, Never (case matters).',
    kinds: ['Pod', 'workloads with a Pod template'],
    source: `${KEP_4639} (PullPolicy enum)`,
    fix: 'Change to the value with the right case',
  },
  {
    code: 'IMGVOL004',
    severity: 'warning',
    title: 'Tag mounted with IfNotPresent or Never',
    checks:
      'A tag (not a digest) whose pull policy, written or defaulted, is IfNotPresent or Never: a node that holds the tag keeps mounting its copy, so a push to the tag does not reach it.',
    kinds: ['Pod', 'workloads with a Pod template'],
    source: `${KEP_4639}; the API server's pull policy default (Always for latest or no tag, else IfNotPresent)`,
    fix: 'Set pullPolicy: Always (or pin to a digest with the live checks)',
  },
  {
    code: 'IMGVOL005',
    severity: 'info',
    title: 'Image volume from Docker Hub by default',
    checks: 'A reference whose first part is not a host means Docker Hub (busybox is docker.io/library/busybox).',
    kinds: ['Pod', 'workloads with a Pod template'],
    source: 'distribution/reference ParseNormalizedNamed (docker.io default), as the kubelet reads images',
  },

  // Live registry checks (ociGitops.validation.live, oci-gitops validate --live).
  {
    code: 'LIVE000',
    severity: 'info',
    title: 'Registry unreachable: live checks skipped',
    checks: 'One finding per registry that cannot be reached; the offline checks still apply.',
    kinds: LIVE_TARGETS,
    source: 'this project (live checks ask the registry the manifest names)',
  },
  {
    code: 'LIVE001',
    severity: 'error',
    title: 'Repository does not exist',
    checks: 'The registry answers NAME_UNKNOWN for the repository.',
    kinds: LIVE_TARGETS,
    source: 'opencontainers/distribution-spec spec.md (NAME_UNKNOWN)',
  },
  {
    code: 'LIVE002',
    severity: 'error',
    title: 'Tag or digest does not exist',
    checks: 'The tag or digest is not in the repository; the finding lists tags that do exist.',
    kinds: LIVE_TARGETS,
    source: 'opencontainers/distribution-spec spec.md (MANIFEST_UNKNOWN)',
  },
  {
    code: 'LIVE003',
    severity: 'error',
    title: 'No tag matches the semver constraint',
    checks: "No tag satisfies the constraint as that controller reads tags (semverFilter, Helm's _ for +, Argo CD's loose versions).",
    kinds: LIVE_TARGETS,
    source: 'src/gitops/semver/resolve.ts, after source-controller, helm and argo-cd util/versions/tags.go',
  },
  {
    code: 'LIVE004',
    severity: 'warning',
    title: "Not readable with the editor's credentials",
    checks: "The registry refused the editor's (or Docker's) credentials; the cluster needs its own pull secret either way.",
    kinds: LIVE_TARGETS,
    source: 'opencontainers/distribution-spec spec.md (UNAUTHORIZED, DENIED)',
  },
  {
    code: 'LIVE005',
    severity: 'error',
    title: 'spec.verify without a signature of its provider',
    checks: 'The artifact has no cosign (or Sigstore bundle) signature, or no notation signature, as spec.verify.provider expects.',
    kinds: [OCIREPO],
    source:
      'source-controller internal/oci/cosign/cosign.go (bundles by referrers or fallback tag, else the .sig tag) and internal/oci/notation/notation.go',
  },
  {
    code: 'LIVE006',
    severity: 'error',
    title: 'No signature verifies',
    checks:
      'No signature of that provider verifies with the cosign.pub the workspace holds for the Secret, or with the matchOIDCIdentity rules and the trusted root.',
    kinds: [OCIREPO],
    source:
      'source-controller internal/oci/cosign/cosign.go (keys ending in .pub, matchOIDCIdentity) and internal/oci/notation/notation.go',
  },
  {
    code: 'LIVE007',
    severity: 'error',
    title: 'layerSelector matches no layer',
    checks: "spec.layerSelector.mediaType names a media type none of the artifact's layers has.",
    kinds: [OCIREPO],
    source: `${SOURCE_CONTROLLER} ("failed to find layer with media type")`,
  },
  {
    code: 'LIVE008',
    severity: 'error',
    title: 'Not exactly one content layer for Argo CD',
    checks: 'Argo CD takes exactly one tar or tar+gzip content layer (the chart layer for a Helm chart).',
    kinds: ['Application'],
    source: 'argoproj/argo-cd util/oci/client.go (extract)',
  },
  {
    code: 'LIVE009',
    severity: 'warning',
    title: "Layer media type outside Argo CD's default allowlist",
    checks:
      'Argo CD rejects a content layer whose media type is not in reposerver.oci.layer.media.types (by default the OCI tar, tar+gzip and Helm chart layers).',
    kinds: ['Application'],
    source: 'argoproj/argo-cd cmd/argocd-repo-server/commands/argocd_repo_server.go (--oci-layer-media-types default); util/oci/client.go',
  },
];
