import { nodeAt, rangeOf, scalarString } from '../../documents';
import { missingFluxSource } from '../../rules/sourceRef';
import { declared } from '../../sources';
import type { GitOpsKind } from '../../contract/kind';
import { checkBucket } from './rules';
import { GROUP, V1 } from './schema';

/**
 * Flux Bucket (source.toolkit.fluxcd.io/v1): a source from object storage. Its rules are what the
 * API server (the CRD's CEL rules) and source-controller's storage clients refuse or ignore: the
 * MinIO client (generic, aws) takes a host and no scheme, the Azure client a URL, the GCS client no
 * endpoint at all (internal/bucket/{minio,azure,gcp} at v1.9.1).
 */
export const bucket: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'Bucket' }],
  matches: (apiVersion, kind) => kind === 'Bucket' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
  wholeObjectFields: [['bucketName'], ['endpoint'], ['interval']],
  check: checkBucket,
  declaredSources: (root) => {
    const name = nodeAt(root, 'metadata', 'name');
    return declared('Bucket', scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default', scalarString(name), rangeOf(name));
  },
  missingSource: missingFluxSource('Bucket', 'flux create source bucket'),
};
