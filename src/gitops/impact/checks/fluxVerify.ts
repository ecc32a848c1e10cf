import type { KeyObject } from 'node:crypto';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { matchIdentity, type OidcIdentity } from '../../../signing/keyless/identity';
import { parseTrustedRoot } from '../../../signing/keyless/keylessTrust';
import { loadPublicKey } from '../../../signing/keys';
import { parsePem } from '../../../signing/pem';
import type { NotationTrust, TrustPolicyDocument } from '../../../signing/notationTrust';
import type { SignatureResult } from '../../../signing/signatureResult';
import type { VerificationTrust } from '../../../signing/verifyArtifact';
import { errorMessage } from '../../../text/format';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import type { FoundConsumer } from '../consumers';
import type { Check, DeclaredAt } from '../contract';
import { readsSigstoreBundles, readsTrustedRootSecret } from '../fluxVersion';
import { declaredAt } from '../workspace';
import type { CheckContext } from './context';

/** Where each kind keeps the verification source-controller runs before it stores the artifact. */
const VERIFY_PATHS: Record<string, string[]> = {
  OCIRepository: ['spec', 'verify'],
  // HelmRelease chart.spec becomes a HelmChart; its verify is the HelmChart's (source-controller helmcharts.md).
  HelmRelease: ['spec', 'chart', 'spec', 'verify'],
};

/** What failed to give a trust: the check is out of reach (the Secret lives only in the cluster) or fails (it is malformed). */
type TrustOrProblem = { trust: VerificationTrust } | { problem: Check };

/**
 * Flux `spec.verify` (source-controller docs/spec/v1/ocirepositories.md#verification): cosign with
 * the `.pub` keys of `secretRef`, cosign keyless with `matchOIDCIdentity` (Go regexps, unanchored)
 * against the trusted root (`trustedRootSecretRef`, else Sigstore public-good), or notation with the
 * certificates and `trustpolicy.json` of `secretRef`. Which cosign signatures count depends on the
 * Flux release: bundles (OCI referrers) from 2.8, the `.sig` tag before.
 */
export async function fluxVerifyCheck(found: FoundConsumer, ctx: CheckContext): Promise<Check[]> {
  const path = VERIFY_PATHS[found.consumer.kind];
  const verify = path ? nodeAt(found.document.root, ...path) : undefined;
  if (!isMap(verify)) return [];
  const provider = scalarString(verify.get('provider', true)) ?? 'cosign';
  const at = declaredAt(found.document, rangeOf(verify)?.[0] ?? 0);
  const namespace = found.consumer.namespace;
  if (provider === 'notation') {
    const trust = notationTrustOf(verify, namespace, ctx, at);
    if ('problem' in trust) return [trust.problem];
    const verification = await ctx.evidence.verify(trust.trust);
    return [
      outcomeOf(
        'Flux spec.verify (notation)',
        verification.signatures.filter((s) => s.format === 'notation'),
        at,
      ),
    ];
  }
  const identities = identitiesOf(verify);
  if (identities.length > 0 || !verify.has('secretRef')) return [await keylessCheck(verify, identities, namespace, ctx, at)];
  const trust = cosignKeysOf(verify, namespace, ctx, at);
  if ('problem' in trust) return [trust.problem];
  const verification = await ctx.evidence.verify(trust.trust);
  return [cosignOutcome('Flux spec.verify (cosign key)', verification.signatures, ctx, at)];
}

async function keylessCheck(
  verify: YAMLMap,
  identities: OidcIdentity[],
  namespace: string | undefined,
  ctx: CheckContext,
  at: DeclaredAt,
): Promise<Check> {
  const label = 'Flux spec.verify (cosign keyless)';
  const written = scalarString(nodeAt(verify, 'trustedRootSecretRef', 'name'));
  const rootSecret = written && (!ctx.fluxVersion || readsTrustedRootSecret(ctx.fluxVersion)) ? written : undefined;
  // Flux with no matchOIDCIdentity accepts any identity the trusted root vouches for.
  const wanted = identities.length > 0 ? identities : [{ issuer: '.*', subject: '.*' }];
  if (rootSecret) {
    const trust = memo(ctx, `root|${namespace}|${rootSecret}|${JSON.stringify(wanted)}`, () => {
      const secret = ctx.secrets.lookup(rootSecret, namespace);
      if (!secret.found) return { problem: outOfReach(label, `trustedRootSecretRef: ${secret.reason}`, secret.declaredAt ?? at) };
      const text = secret.files.get('trusted_root.json');
      if (!text) return { problem: fail(label, `the Secret ${rootSecret} has no trusted_root.json key`, secret.declaredAt) };
      try {
        return {
          trust: {
            keyless: { trustedRoot: parseTrustedRoot(text.toString('utf8'), `${rootSecret}/trusted_root.json`), identities: wanted },
          },
        };
      } catch (error) {
        return { problem: fail(label, errorMessage(error), secret.declaredAt) };
      }
    });
    if ('problem' in trust) return trust.problem;
    const verification = await ctx.evidence.verify(trust.trust);
    return cosignOutcome(label, verification.signatures, ctx, at);
  }
  // Sigstore public-good: Flux fetches its root through TUF, which this check does not do. The
  // identity in the certificate is still readable: a mismatch is a refusal whatever the root says.
  const verification = await ctx.evidence.verify(memoTrust(ctx, 'public-good', {}));
  const keyless = countedFormats(verification.signatures, ctx).filter((s) => s.identity);
  if (keyless.length === 0)
    return cosignOutcome(
      label,
      verification.signatures.filter((s) => s.identity),
      ctx,
      at,
    );
  const matches = keyless.map((s) => ({ identity: s.identity!, match: matchIdentity(s.identity!, wanted) }));
  const matching = matches.find((m) => m.match.ok);
  if (!matching) return fail(label, matches[0].match.reason, at);
  const ignored = written
    ? `; Flux ${ctx.fluxVersion!.written} ignores trustedRootSecretRef (it reads it from 2.9, source-controller v1.9.0)`
    : '; set trustedRootSecretRef to a workspace Secret to check it here';
  return outOfReach(
    label,
    `${matching.identity.subject} (issuer ${matching.identity.issuer}) matches matchOIDCIdentity, but the certificate chain is checked against the Sigstore public-good root, which Flux fetches through TUF in the cluster${ignored}`,
    at,
  );
}

function memoTrust(ctx: CheckContext, key: string, trust: VerificationTrust): VerificationTrust {
  const known = ctx.trusts.get(key);
  if (known) return known;
  ctx.trusts.set(key, trust);
  return trust;
}

function memo(ctx: CheckContext, key: string, build: () => TrustOrProblem): TrustOrProblem {
  const known = ctx.trusts.get(key);
  if (known) return { trust: known };
  const built = build();
  if ('trust' in built) ctx.trusts.set(key, built.trust);
  return built;
}

function cosignKeysOf(verify: YAMLMap, namespace: string | undefined, ctx: CheckContext, at: DeclaredAt): TrustOrProblem {
  const label = 'Flux spec.verify (cosign key)';
  const name = scalarString(nodeAt(verify, 'secretRef', 'name')) ?? '';
  return memo(ctx, `cosign|${namespace}|${name}`, () => {
    const secret = ctx.secrets.lookup(name, namespace);
    if (!secret.found) return { problem: outOfReach(label, `secretRef: ${secret.reason}`, secret.declaredAt ?? at) };
    const keys: Array<{ name: string; key: KeyObject }> = [];
    for (const [file, bytes] of secret.files) {
      // Flux tries every key whose name ends in .pub (internal/oci/cosign).
      if (!file.endsWith('.pub')) continue;
      try {
        keys.push({ name: `${name}/${file}`, key: loadPublicKey(bytes.toString('utf8'), `${name}/${file}`) });
      } catch (error) {
        return { problem: fail(label, `the Secret's ${file} is not a public key: ${errorMessage(error)}`, secret.declaredAt) };
      }
    }
    if (keys.length === 0)
      return { problem: fail(label, `the Secret ${name} holds no *.pub key, so Flux has nothing to verify with`, secret.declaredAt) };
    return { trust: { cosignKeys: keys } };
  });
}

function notationTrustOf(verify: YAMLMap, namespace: string | undefined, ctx: CheckContext, at: DeclaredAt): TrustOrProblem {
  const label = 'Flux spec.verify (notation)';
  const name = scalarString(nodeAt(verify, 'secretRef', 'name')) ?? '';
  return memo(ctx, `notation|${namespace}|${name}`, () => {
    const secret = ctx.secrets.lookup(name, namespace);
    if (!secret.found) return { problem: outOfReach(label, `secretRef: ${secret.reason}`, secret.declaredAt ?? at) };
    const policyBytes = secret.files.get('trustpolicy.json');
    if (!policyBytes) return { problem: fail(label, `the Secret ${name} has no trustpolicy.json key`, secret.declaredAt) };
    let policy: TrustPolicyDocument;
    try {
      policy = JSON.parse(policyBytes.toString('utf8')) as TrustPolicyDocument;
    } catch (error) {
      return { problem: fail(label, `trustpolicy.json is not JSON: ${errorMessage(error)}`, secret.declaredAt) };
    }
    if (policy?.version !== '1.0' || !Array.isArray(policy.trustPolicies))
      return { problem: fail(label, 'trustpolicy.json is not a version "1.0" trust policy with a trustPolicies list', secret.declaredAt) };
    // Flux's in-memory store returns every certificate of the Secret, whatever store the policy names,
    // and reads only the first PEM block of each file (internal/oci/notation/notation.go).
    const secretCertificates = [...secret.files]
      .filter(([file]) => /\.(pem|crt)$/i.test(file))
      .flatMap(([, bytes]) =>
        parsePem(bytes.toString('utf8'))
          .filter((b) => b.type === 'CERTIFICATE')
          .slice(0, 1)
          .map((b) => b.der),
      );
    if (secretCertificates.length === 0)
      return { problem: fail(label, `the Secret ${name} holds no *.pem or *.crt certificate`, secret.declaredAt) };
    const notation: NotationTrust = { policy, stores: new Map(), secretCertificates, folder: `Secret ${name}` };
    return { trust: { notation } };
  });
}

function identitiesOf(verify: YAMLMap): OidcIdentity[] {
  const list = verify.get('matchOIDCIdentity', true);
  if (!isSeq(list)) return [];
  return list.items.flatMap((item) => {
    const issuer = scalarString(nodeAt(item, 'issuer'));
    const subject = scalarString(nodeAt(item, 'subject'));
    return issuer !== undefined && subject !== undefined ? [{ issuer, subject }] : [];
  });
}

/**
 * The cosign signatures this Flux looks at: from 2.8 the Sigstore bundles when there is any (as
 * cosign v3 does), else the `.sig` layers; before 2.8 only the `.sig` layers.
 */
function countedFormats(signatures: SignatureResult[], ctx: CheckContext): SignatureResult[] {
  const bundles = signatures.filter((s) => s.format === 'sigstore-bundle');
  const legacy = signatures.filter((s) => s.format === 'cosign');
  if (ctx.fluxVersion && !readsSigstoreBundles(ctx.fluxVersion)) return legacy;
  return bundles.length > 0 ? bundles : legacy;
}

function cosignOutcome(label: string, signatures: SignatureResult[], ctx: CheckContext, at: DeclaredAt): Check {
  const counted = countedFormats(signatures, ctx);
  const bundles = signatures.filter((s) => s.format === 'sigstore-bundle');
  const version = ctx.fluxVersion;
  if (version && !readsSigstoreBundles(version) && counted.length === 0 && bundles.length > 0)
    return fail(
      label,
      `the artifact has only a Sigstore bundle (cosign v3), which Flux ${version.written} does not read: bundles verify from Flux 2.8 (source-controller#1923); sign with the legacy .sig format too, or upgrade Flux`,
      version.declaredAt,
    );
  const check = outcomeOf(label, counted, at);
  if (check.outcome !== 'pass' || version || counted.every((s) => s.format !== 'sigstore-bundle')) return check;
  // No Flux release in the workspace: a pass that rests on a bundle holds only from Flux 2.8.
  const legacyVerified = signatures.some((s) => s.format === 'cosign' && s.status === 'verified');
  return legacyVerified
    ? check
    : {
        ...check,
        outcome: 'warn',
        detail: `${check.detail}; only as a Sigstore bundle, which Flux reads from 2.8 (the workspace names no Flux version)`,
      };
}

function outcomeOf(label: string, signatures: SignatureResult[], at: DeclaredAt): Check {
  const verified = signatures.find((s) => s.status === 'verified');
  if (verified)
    return {
      check: label,
      outcome: 'pass',
      detail: `${verified.location}: ${verified.reason}${verified.signer ? ` (${verified.signer})` : ''}`,
      declaredAt: at,
    };
  if (signatures.length === 0)
    return fail(label, 'the artifact has no signature of this kind, and Flux refuses an unsigned artifact when spec.verify is set', at);
  return fail(label, signatures.map((s) => `${s.location}: ${s.reason}`).join('; '), at);
}

function fail(check: string, detail: string, at?: DeclaredAt): Check {
  return { check, outcome: 'fail', detail, ...(at ? { declaredAt: at } : {}) };
}

function outOfReach(check: string, detail: string, at?: DeclaredAt): Check {
  return { check, outcome: 'out-of-reach', detail, ...(at ? { declaredAt: at } : {}) };
}
