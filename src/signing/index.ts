// The signing core: cosign (legacy `.sig` and Sigstore bundle) and notation signatures, keys and
// trust. Never imports vscode; the CLI and the VS Code adapter both build on this.
export { SigningError, isSigningError, type SigningErrorCode } from './errors';
export { refuseKeyFileLinks, writeKeyFile } from './keyFileWrite';
export {
  generateCosignKeyPair,
  encryptCosignPrivateKey,
  loadCosignPrivateKey,
  loadCosignSigningKey,
  SIGSTORE_PRIVATE_KEY_PEM,
  COSIGN_PRIVATE_KEY_PEM,
  type CosignKeyPair,
} from './cosignKeyFile';
export { loadPublicKey, loadPlainPrivateKey, publicKeyHint, publicKeyPem } from './keys';
export { parsePem, toPem } from './pem';
export { simpleSigningPayload, simpleSigningClaimProblem, SIMPLE_SIGNING_MEDIA_TYPE } from './simpleSigning';
export { signatureTagFor, COSIGN_SIGNATURE_ANNOTATION } from './cosignSignatureTag';
export { createKeyBundle, verifyKeyBundle, inTotoStatement } from './sigstoreBundle';
export {
  createJwsEnvelope,
  verifyJwsEnvelope,
  JWS_MEDIA_TYPE,
  NOTARY_SIGNATURE_ARTIFACT_TYPE,
  THUMBPRINT_ANNOTATION,
} from './notationEnvelope';
export { certificateChainProblems } from './notaryCertificateRules';
export { generateTestCertificate, type TestCertificate } from './testCertificate';
export {
  writeNotationTrustFolder,
  loadNotationTrust,
  notationTrustDecision,
  trustPolicyDocument,
  type NotationTrust,
} from './notationTrust';
export {
  resolveSubject,
  signWithCosignKey,
  signWithNotation,
  dockerReference,
  type CosignSignResult,
  type NotationSignResult,
} from './signArtifact';
export { discoverSignatures, type FoundSignature } from './signatureDiscovery';
export { verifyArtifact, type ArtifactVerification, type VerificationTrust } from './verifyArtifact';
export type { SignatureFormat, SignatureResult, SignatureStatus } from './signatureResult';
export { signatureStatus, summarise, type ArtifactBadge, type ArtifactSignatureStatus } from './signatureStatus';
export { loadCosignPublicKeys, loadVerificationTrust, trustFromFolder } from './trustSources';
export { loadNotationSigningMaterial } from './notationKeyFiles';
export { pushSigstoreBundle } from './signArtifact';
export { signKeyless, DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL, type KeylessSignOptions, type KeylessSignResult } from './keyless/keylessSign';
export { verifyKeylessBundle, type KeylessCheck } from './keyless/keylessVerify';
export { loadKeylessTrust, parseTrustedRoot, type KeylessTrust } from './keyless/keylessTrust';
export { matchIdentity, certificateIdentity, validateIdentities, type OidcIdentity, type SignerIdentity } from './keyless/identity';
export { tokenIdentity, type TokenIdentity } from './keyless/identityToken';
export { getIdentityTokenInteractively, DEFAULT_OIDC_ISSUER, DEFAULT_OIDC_CLIENT_ID, type LoopbackOptions } from './keyless/oidcLoopback';
export { resolveIdentityToken } from './keyless/tokenSource';
