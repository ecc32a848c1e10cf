import {
  loadCosignPublicKeys,
  loadKeylessTrust,
  loadNotationTrust,
  SigningError,
  verifyArtifact,
  type VerificationTrust,
} from '../../signing';
import { withSubject } from '../withSubject';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { verifyFlags } from '../commandLine/verify';
import { expectPositionals } from '../commandLine/positionals';
import { UsageError } from '../usage';

type VerifyOptions = Options<typeof verifyFlags>;

/**
 * `oci-gitops verify <reference> --key cosign.pub… | --notation-trust <folder> |
 * --trusted-root trusted_root.json --certificate-identity-regexp <re> --certificate-oidc-issuer-regexp <re>
 * [--json]`: checks
 * every cosign and notation signature of the digest and reports each. Exits 0 only when at least
 * one verifies against the given keys or trust.
 */
export async function verifyCommand(positionals: string[], options: VerifyOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['reference'], 'verify');
  if (options.key.length === 0 && !options['notation-trust'] && !options['trusted-root'])
    throw new UsageError(
      'verify needs --key cosign.pub (repeatable), --notation-trust <folder>, or --trusted-root <file.json> with identity regexps',
    );
  const trust: VerificationTrust = {};
  const identityCount = options['certificate-identity-regexp'].length;
  if (Boolean(options['trusted-root']) !== identityCount > 0 || identityCount !== options['certificate-oidc-issuer-regexp'].length) {
    // As Flux's matchOIDCIdentity: every identity is an issuer and a subject pattern, paired in order.
    throw new UsageError(
      'keyless verify takes --trusted-root <file.json> with --certificate-identity-regexp <re> and --certificate-oidc-issuer-regexp <re> (repeat both, in pairs, to accept several identities)',
    );
  }
  if (options['trusted-root'])
    trust.keyless = loadKeylessTrust(
      options['trusted-root'],
      options['certificate-identity-regexp'].map((subject, i) => ({ subject, issuer: options['certificate-oidc-issuer-regexp'][i] })),
    );
  if (options.key.length > 0) trust.cosignKeys = loadCosignPublicKeys(options.key);
  if (options['notation-trust']) trust.notation = loadNotationTrust(options['notation-trust']);
  await withSubject(input, options, io, async ({ repo, descriptor: subject, pinned }) => {
    const result = await verifyArtifact(repo, subject, trust);
    if (options.json) {
      printJson(io.stdout, { reference: input, pinned, digest: subject.digest, verified: result.verified, signatures: result.signatures });
    } else {
      line(io.stdout, `${pinned}: ${result.signatures.length} signature${result.signatures.length === 1 ? '' : 's'} found`);
      for (const s of result.signatures) {
        line(io.stdout, `  ${s.status.padEnd(10)} ${s.format.padEnd(15)} ${shown(s.location)}${s.signer ? `  (${shown(s.signer)})` : ''}`);
        line(io.stdout, `             ${shown(s.reason)}`);
      }
    }
    if (!result.verified) {
      const why =
        result.signatures.length === 0
          ? 'it has no cosign or notation signature'
          : 'none of its signatures verifies with the given keys or trust';
      throw new SigningError('NOT_VERIFIED', `${pinned} is not verified: ${why}`);
    }
  });
}
