import { fields } from '../../schemas/fieldSpec';
import { DURATION, TIMEOUT_DURATION } from '../../schemas/fluxCommon';
import { kindSchema } from '../../schemas/kindSchema';

export const GROUP = 'source.toolkit.fluxcd.io';
export const DOCS = 'https://fluxcd.io/flux/components/source/buckets/';

export const V1 = kindSchema(
  `${GROUP}/v1`,
  'Bucket',
  fields(`
interval! string ${DURATION} -- How often the bucket is listed for changes, e.g. 5m.
provider string enum=generic|aws|gcp|azure -- The storage API and where credentials come from: generic (any S3-compatible store, with secretRef), aws, gcp or azure. generic when left out.
endpoint! string -- The storage address: host[:port] without a scheme for generic and aws (e.g. minio.example.com:9000, s3.amazonaws.com), the blob service URL for azure (https://<account>.blob.core.windows.net).
bucketName! string -- Name of the bucket (an Azure container); a folder in it goes in prefix.
prefix string -- Only objects whose keys start with this are fetched (filtered by the server).
region string -- Region the bucket is in, when the endpoint needs one (e.g. us-east-1).
insecure boolean -- Connect over plain HTTP (generic and aws providers only).
secretRef object -- Secret with credentials: accesskey and secretkey for generic and aws, serviceaccount for gcp, the Azure fields for azure.
  name! string -- Name of the Secret.
serviceAccountName string -- A ServiceAccount for object-level workload identity (aws, azure, gcp); not with secretRef.
certSecretRef object -- Secret with ca.crt, and tls.crt and tls.key for a client certificate (generic provider).
  name! string -- Name of the Secret.
proxySecretRef object -- Secret with the address (and credentials) of an HTTP/S proxy.
  name! string -- Name of the Secret.
sts object -- A Security Token Service to fetch temporary credentials from (aws and generic providers).
  provider! string enum=aws|ldap -- aws with the aws provider, ldap with the generic provider.
  endpoint! string pattern=^(http|https)://.*$ -- The STS address, e.g. https://sts.amazonaws.com or the LDAP server.
  secretRef object -- Secret with username and password (ldap only).
    name! string -- Name of the Secret.
  certSecretRef object -- Secret with the TLS configuration for the STS endpoint (ldap only).
    name! string -- Name of the Secret.
ignore string -- Object keys to leave out, in .gitignore syntax; overrides the default exclusions.
timeout string ${TIMEOUT_DURATION} -- Limit for listing and fetching, e.g. 60s (hours are not accepted here).
suspend boolean -- Stop reconciling until set back to false.
`),
  { description: 'Flux Bucket: fetches the objects of an S3-compatible, Google Cloud Storage or Azure Blob Storage bucket as a source.' },
);
