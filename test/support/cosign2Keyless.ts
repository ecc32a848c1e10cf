import { X509Certificate } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { digestOf, type Descriptor, type RepositoryApi } from '../../src/oci';
import { dockerReference, simpleSigningPayload, SIMPLE_SIGNING_MEDIA_TYPE, toPem } from '../../src/signing';
import {
  appendCosignSignature,
  COSIGN_CERTIFICATE_ANNOTATION,
  COSIGN_CHAIN_ANNOTATION,
  COSIGN_REKOR_BUNDLE_ANNOTATION,
  COSIGN_SIGNATURE_ANNOTATION,
} from '../../src/signing/cosignSignatureTag';
import type { RunningSigstore } from './sigstoreServer';

/**
 * What `cosign sign <image>` without a key writes in cosign 2.x (no --new-bundle-format), laid out
 * as sigstore/cosign reads and writes it (pkg/oci/static/signature.go and options.go: the
 * annotation keys, and the chain annotation written whenever a certificate is; pkg/cosign/bundle/
 * rekor.go: the Rekor bundle JSON; cmd/cosign/cli/sign/sign.go: one simple-signing layer on the
 * `sha256-<hex>.sig` tag). The signature is a plain ECDSA signature over the payload bytes by an
 * ephemeral key whose Fulcio certificate names the token's identity, logged in Rekor as a
 * `hashedrekord` whose public key is the certificate PEM; the layer carries that entry's signed
 * entry timestamp, not an inclusion proof.
 */
export interface Cosign2KeylessLayer {
  payload: Buffer;
  annotations: Record<string, string>;
}

/** Signs `subject` keyless through the mock Fulcio and Rekor and appends the layer to its `.sig` tag. */
export async function signCosign2Keyless(
  repo: RepositoryApi,
  subject: Descriptor,
  sigstore: RunningSigstore,
  identityToken: string,
  edit: (layer: Cosign2KeylessLayer) => void = () => undefined,
): Promise<Cosign2KeylessLayer> {
  const payload = simpleSigningPayload(dockerReference(repo), subject.digest);
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({ identityProvider: { getToken: async () => identityToken }, fulcioBaseURL: sigstore.fulcioURL }),
    witnesses: [new RekorWitness({ rekorBaseURL: sigstore.rekorURL })],
  });
  const bundle = bundleToJSON(await builder.create({ data: payload }));
  const material = bundle.verificationMaterial;
  const certificate = material.x509CertificateChain?.certificates[0]?.rawBytes ?? material.certificate?.rawBytes;
  const entry = material.tlogEntries[0];
  const signature = bundle.messageSignature?.signature;
  if (!certificate || !entry?.inclusionPromise || !signature)
    throw new Error('the mock Sigstore returned no certificate, SET or signature');
  const chain = (sigstore.trustedRoot.certificateAuthorities as Array<{ certChain: { certificates: Array<{ rawBytes: string }> } }>)
    .flatMap((ca) => ca.certChain.certificates)
    .map((c) => toPem('CERTIFICATE', Buffer.from(c.rawBytes, 'base64')))
    .join('');
  const layer: Cosign2KeylessLayer = {
    payload,
    annotations: {
      [COSIGN_SIGNATURE_ANNOTATION]: signature,
      [COSIGN_CERTIFICATE_ANNOTATION]: toPem('CERTIFICATE', Buffer.from(certificate, 'base64')),
      [COSIGN_CHAIN_ANNOTATION]: chain,
      // Go's json.Marshal of bundle.RekorBundle: []byte as standard base64, the log ID as hex.
      [COSIGN_REKOR_BUNDLE_ANNOTATION]: JSON.stringify({
        SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
        Payload: {
          body: entry.canonicalizedBody,
          integratedTime: Number(entry.integratedTime),
          logIndex: Number(entry.logIndex),
          logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
        },
      }),
    },
  };
  edit(layer);
  const key = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
  await appendCosignSignature(repo, subject.digest, key, {
    payload: layer.payload,
    descriptor: {
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      digest: digestOf(layer.payload),
      size: layer.payload.length,
      annotations: layer.annotations,
    },
  });
  return layer;
}
