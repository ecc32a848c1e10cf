import { loadCosignPublicKeys, loadNotationTrust, SigningError, verifyArtifact, type VerificationTrust } from '../../signing';
import { withSubject } from '../withSubject';
import { line, type CliIo } from '../io';
import { expectPositionals, type CommonOptions } from '../options';
import { UsageError } from '../usage';

/**
 * `oci-gitops verify <reference> --key cosign.pub… | --notation-trust <folder> [--json]`: checks
 * every cosign and notation signature of the digest and reports each. Exits 0 only when at least
 * one verifies against the given keys or trust.
 */
export async function verifyCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['reference'], 'verify');
  if (options.keys.length === 0 && !options.notationTrust) throw new UsageError('verify needs --key cosign.pub (repeatable) or --notation-trust <folder>');
  const trust: VerificationTrust = {};
  if (options.keys.length > 0) trust.cosignKeys = loadCosignPublicKeys(options.keys);
  if (options.notationTrust) trust.notation = loadNotationTrust(options.notationTrust);
  await withSubject(input, options, io, async ({ repo, descriptor: subject, pinned }) => {
    const result = await verifyArtifact(repo, subject, trust);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ reference: input, pinned, digest: subject.digest, verified: result.verified, signatures: result.signatures }, null, 2)}\n`);
    } else {
      line(io.stdout, `${pinned}: ${result.signatures.length} signature${result.signatures.length === 1 ? '' : 's'} found`);
      for (const s of result.signatures) {
        line(io.stdout, `  ${s.status.padEnd(10)} ${s.format.padEnd(15)} ${s.location}${s.signer ? `  (${s.signer})` : ''}`);
        line(io.stdout, `             ${s.reason}`);
      }
    }
    if (!result.verified) {
      const why = result.signatures.length === 0 ? 'it has no cosign or notation signature' : 'none of its signatures verifies with the given keys or trust';
      throw new SigningError('NOT_VERIFIED', `${pinned} is not verified: ${why}`);
    }
  });
}
