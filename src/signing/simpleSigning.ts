/**
 * The "simple signing" payload cosign signs for its legacy `.sig` tag, byte for byte what
 * sigstore/sigstore pkg/signature/payload/payload.go `SimpleContainerImage()` marshals: Go field
 * order, no whitespace, and `optional` as `null` (a Go map without omitempty) when there are no
 * annotations.
 */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export function simpleSigningPayload(dockerReference: string, digest: string, annotations?: Record<string, string>): Buffer {
  const optional = annotations && Object.keys(annotations).length > 0 ? sortedObject(annotations) : null;
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': digest },
        type: COSIGN_SIGNATURE_TYPE,
      },
      optional,
    }),
  );
}

/** Go marshals map keys sorted. */
function sortedObject(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * What cosign checks in a verified payload (pkg/cosign/verifiers.go SimpleClaimVerifier, and
 * the payload's UnmarshalJSON): the critical type, and that the claimed manifest digest is the
 * digest being verified. The docker-reference is deliberately not compared (the spec says it is
 * ignored, so a signature survives a copy to another registry). Returns why it fails, or undefined.
 */
export function simpleSigningClaimProblem(payload: Buffer, digest: string): string | undefined {
  let parsed: {
    critical?: { type?: unknown; image?: { 'docker-manifest-digest'?: unknown }; identity?: { 'docker-reference'?: unknown } };
  };
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  const critical = parsed?.critical;
  if (!critical || typeof critical !== 'object') return 'the signed payload has no "critical" section';
  if (critical.type !== COSIGN_SIGNATURE_TYPE)
    return `the signed payload's critical.type is ${JSON.stringify(critical.type)}, not "${COSIGN_SIGNATURE_TYPE}"`;
  const claimed = critical.image?.['docker-manifest-digest'];
  if (claimed !== digest) return `the signature is for ${String(claimed)}, not for ${digest}`;
  if (typeof critical.identity?.['docker-reference'] !== 'string') return 'the signed payload has no critical.identity.docker-reference';
  return undefined;
}
