import type { YAMLMap } from 'yaml';
import { nodeAt, rangeOf, scalarString } from '../documents';
import type { RuleContext } from '../contract/ruleContext';
import { helmOciUrl, REPOSITORY } from '../rules/grammar';
import { fields } from '../schemas/fieldSpec';
import { DURATION, TIMEOUT_DURATION } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { declared } from '../sources';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'source.toolkit.fluxcd.io';
const DOCS = 'https://fluxcd.io/flux/components/source/helmrepositories/';

const V1 = kindSchema(
  `${GROUP}/v1`,
  'HelmRepository',
  fields(`
url! string pattern=^(http|https|oci)://.*$ -- The repository address: https://… for a chart index, oci://registry/path for charts in an OCI registry (with type: oci).
type string enum=default|oci -- default for an HTTP/S chart repository (index.yaml), oci for an OCI registry.
provider string enum=generic|aws|azure|gcp -- Where OCI credentials come from: generic (secretRef) or the cloud's workload identity (type: oci only).
secretRef object -- Secret with credentials: username and password, or a docker-registry Secret for OCI.
  name! string -- Name of the Secret.
certSecretRef object -- Secret with ca.crt, and tls.crt and tls.key for a client certificate.
  name! string -- Name of the Secret.
passCredentials boolean -- Send the credentials to hosts other than the repository's (charts served elsewhere).
insecure boolean -- Allow plain HTTP to an OCI registry.
interval string ${DURATION} -- How often the index is fetched, e.g. 10m.
timeout string ${TIMEOUT_DURATION} -- Limit for fetching the index or an OCI chart, e.g. 60s.
suspend boolean -- Stop reconciling until set back to false.
accessFrom object -- Cross-namespace access list (not implemented by source-controller).
  namespaceSelectors! object[] -- Namespaces allowed to refer to this repository.
    matchLabels map -- Labels a namespace must have.
`),
  {
    description:
      'Flux HelmRepository: a Helm chart repository, an HTTP/S index or (type: oci) an OCI registry path charts are pulled from.',
  },
);

/** The url of an OCI HelmRepository, when the document is one (type: oci and an oci:// url). */
function ociUrl(root: YAMLMap): string | undefined {
  const url = scalarString(nodeAt(root, 'spec', 'url'));
  return scalarString(nodeAt(root, 'spec', 'type')) === 'oci' && url?.startsWith('oci://') ? url : undefined;
}

/**
 * Flux HelmRepository (source.toolkit.fluxcd.io/v1): charts for a HelmRelease's `chart.spec`. Of
 * type oci it is a registry path: source-controller appends the chart's name to it and lists that
 * repository's tags for the version (internal/helm/repository/oci_chart_repository.go).
 */
export const helmRepository: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'HelmRepository' }],
  matches: (apiVersion, kind) => kind === 'HelmRepository' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
  wholeObjectFields: [['url']],
  check: checkHelmRepository,
  declaredSources: (root) => {
    const name = nodeAt(root, 'metadata', 'name');
    const url = ociUrl(root);
    return declared('HelmRepository', scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default', scalarString(name), rangeOf(name), {
      selectsHelmChart: false,
      ...(url ? { ociHelmRepository: url } : {}),
    });
  },
};

/** The url and the type agree (an oci:// url needs type: oci, and the reverse), and an OCI url names a registry path without a tag. */
function checkHelmRepository(ctx: RuleContext): void {
  const url = ctx.string('spec', 'url');
  if (url === undefined) return;
  const type = ctx.string('spec', 'type') ?? 'default';
  const oci = url.startsWith('oci://');
  if (oci && type !== 'oci')
    ctx.report(
      'HREPO001',
      'error',
      `spec.url is an oci:// address but spec.type is ${type}: source-controller reads it as an index URL and fails; set type: oci`,
      ctx.valueRange('spec', 'url'),
      DOCS,
      ctx.has('spec', 'type')
        ? {
            title: 'Set type: oci',
            edits: [{ start: ctx.valueRange('spec', 'type')[0], end: ctx.valueRange('spec', 'type')[1], text: 'oci' }],
          }
        : ctx.addField(['spec'], 'Add type: oci', ['type: oci']),
    );
  if (!oci && type === 'oci')
    ctx.report(
      'HREPO001',
      'error',
      `spec.type is oci but spec.url "${url}" is not an oci:// address; write oci://registry/path`,
      ctx.valueRange('spec', 'url'),
      DOCS,
    );
  if (!oci) return;
  const parts = helmOciUrl(url);
  if (!parts || (parts.repository !== '' && !REPOSITORY.test(parts.repository))) {
    ctx.report('HREPO002', 'error', `spec.url "${url}" is not oci://registry/path`, ctx.valueRange('spec', 'url'), DOCS);
    return;
  }
  if (parts.tag || parts.digest)
    ctx.report(
      'HREPO002',
      'error',
      `spec.url must not carry a ${parts.digest ? 'digest' : `tag (":${parts.tag}")`}: a HelmRepository is the path charts sit under; the version goes in the HelmRelease's chart.spec.version`,
      ctx.valueRange('spec', 'url'),
      DOCS,
    );
}
