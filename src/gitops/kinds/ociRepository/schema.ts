import { fields, type JsonSchema } from '../../schemas/fieldSpec';
import { DURATION, TIMEOUT_DURATION } from '../../schemas/fluxCommon';

export const GROUP = 'source.toolkit.fluxcd.io';
export const DOCS = 'https://fluxcd.io/flux/components/source/ocirepositories/';
export const V1BETA2_DEPRECATED =
  'source.toolkit.fluxcd.io/v1beta2 is deprecated and removed in Flux 2.8; use source.toolkit.fluxcd.io/v1.';

export function spec(withTrustedRoot: boolean): JsonSchema {
  return fields(`
interval! string ${DURATION} -- How often the registry is checked for a new artifact, e.g. 5m or 1h.
url! string pattern=^oci://.*$ -- The repository as oci://host/path, without a tag or digest (those go in ref).
ref object -- Which artifact to pull. Precedence: digest, then semver, then tag; with no ref, the latest tag.
  tag string -- A tag to follow, e.g. 1.2.3. Mutable: the artifact changes when the tag is moved.
  semver string -- A semver constraint (e.g. ">=1.0.0 <2.0.0"); the highest matching tag wins.
  semverFilter string -- A regular expression tags must match before semver is applied. Only used with semver.
  digest string -- An immutable manifest digest, sha256:<64 hex>. Wins over semver and tag.
layerSelector object -- Which layer of the artifact to use, and whether to unpack it.
  mediaType string -- The media type of the layer to take; the first matching layer is used.
  operation string enum=extract|copy -- extract unpacks the tarball (default); copy keeps it as it is (Helm charts).
provider string enum=generic|aws|azure|gcp -- Where credentials come from: generic (secretRef) or the cloud's workload identity.
secretRef object -- A docker-registry Secret with pull credentials, in the same namespace.
  name! string -- Name of the Secret.
serviceAccountName string -- A ServiceAccount whose image pull secrets are used for the registry.
certSecretRef object -- A Secret with a CA (ca.crt) and optionally a client certificate (tls.crt, tls.key) for TLS.
  name! string -- Name of the Secret.
proxySecretRef object -- A Secret with the address (and credentials) of an HTTP/S proxy to the registry.
  name! string -- Name of the Secret.
verify object -- Refuse artifacts whose signature does not verify.
  provider! string enum=cosign|notation -- The signature format to check.
  secretRef object -- Secret with the trust material: cosign public keys (*.pub), or notation certificates and trustpolicy.json.
    name! string -- Name of the Secret.
  matchOIDCIdentity object[] -- Keyless cosign: the signer identities to accept. Each entry's issuer and subject are anchored regular expressions.
    issuer! string -- Regular expression for the OIDC issuer, e.g. ^https://token.actions.githubusercontent.com$.
    subject! string -- Regular expression for the identity (certificate subject), e.g. a workflow URL.
${withTrustedRoot ? '  trustedRootSecretRef object -- A Secret with a Sigstore trusted_root.json, for a private Sigstore instance.\n    name! string -- Name of the Secret.' : ''}
ignore string -- Paths to leave out of the extracted artifact, in .gitignore syntax.
insecure boolean -- Pull over plain HTTP. Only for registries on a trusted network.
timeout string ${TIMEOUT_DURATION} -- Limit for one pull, e.g. 60s (hours are not accepted here).
suspend boolean -- Stop reconciling until set back to false.
`);
}
