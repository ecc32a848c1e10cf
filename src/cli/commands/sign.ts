import { readFileSync } from 'node:fs';
import { formatReference } from '../../oci';
import {
  loadCosignSigningKey,
  loadNotationSigningMaterial,
  resolveIdentityToken,
  signKeyless,
  signWithCosignKey,
  signWithNotation,
  type CosignSignResult,
  type KeylessSignResult,
  type NotationSignResult,
} from '../../signing';
import { withSubject } from '../withSubject';
import { line, printJson, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { signFlags } from '../commandLine/sign';
import { expectPositionals } from '../commandLine/positionals';
import { UsageError } from '../usage';
import { errorMessage } from '../../text/format';

type SignOptions = Options<typeof signFlags>;

/**
 * `oci-gitops sign <reference> --key cosign.key | --notation-key k.pem --notation-cert chain.pem | --keyless`.
 * A tag is resolved to its digest once; only the digest is signed. With a cosign key both the
 * legacy `.sig` tag and the Sigstore bundle referrer are written; --keyless writes a bundle with a
 * Fulcio certificate and a Rekor entry. The flags may be combined.
 */
export async function signCommand(positionals: string[], options: SignOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['reference'], 'sign');
  if (options.key.length > 1) throw new UsageError('sign takes one --key (a cosign.key)');
  if (Boolean(options['notation-key']) !== Boolean(options['notation-cert']))
    throw new UsageError('--notation-key and --notation-cert go together: the PEM key and its certificate chain (leaf first)');
  if (options.key.length === 0 && !options['notation-key'] && !options.keyless)
    throw new UsageError('sign needs --key cosign.key, --notation-key k.pem --notation-cert chain.pem, or --keyless');
  if (!options.keyless && (options['fulcio-url'] || options['rekor-url'] || options['identity-token-file'] || options['oidc-issuer']))
    throw new UsageError('--fulcio-url, --rekor-url, --identity-token-file and --oidc-issuer go with --keyless');
  // Load every key before touching the registry, so a wrong password fails fast and writes nothing.
  let cosignKey: Awaited<ReturnType<typeof loadCosignSigningKey>> | undefined;
  if (options.key.length === 1) {
    const password = io.env.COSIGN_PASSWORD;
    if (password === undefined)
      throw new UsageError('the cosign key password is read from COSIGN_PASSWORD; set it (empty for a key without password)');
    cosignKey = await loadCosignSigningKey(readText(options.key[0]), password, options.key[0]);
  }
  const notation =
    options['notation-key'] && options['notation-cert']
      ? loadNotationSigningMaterial(
          readText(options['notation-key']),
          options['notation-key'],
          readText(options['notation-cert']),
          options['notation-cert'],
        )
      : undefined;
  const identityToken = options.keyless
    ? await resolveIdentityToken({
        envToken: io.env.SIGSTORE_ID_TOKEN,
        tokenFile: options['identity-token-file'],
        interactive: {
          issuer: options['oidc-issuer'],
          openBrowser: (url) => line(io.stderr, `Sign in to get a Sigstore certificate: open this URL in a browser:\n  ${url}`),
        },
      })
    : undefined;
  await withSubject(input, options, io, async ({ ref, repo, descriptor: subject, pinned }) => {
    const cosign: CosignSignResult | undefined = cosignKey ? await signWithCosignKey(repo, subject, cosignKey) : undefined;
    const notary: NotationSignResult | undefined = notation
      ? await signWithNotation(repo, subject, notation.key, notation.chain)
      : undefined;
    const keyless: KeylessSignResult | undefined = identityToken
      ? await signKeyless(repo, subject, { identityToken, fulcioURL: options['fulcio-url'], rekorURL: options['rekor-url'] })
      : undefined;
    if (options.json) {
      printJson(io.stdout, {
        reference: formatReference(ref),
        pinned,
        digest: subject.digest,
        cosign: cosign && { keyHint: cosign.keyHint, signatureTag: cosign.signatureTag, bundle: cosign.bundle },
        notation: notary && { digest: notary.digest, signer: notary.signer },
        keyless: keyless && { bundle: keyless.bundle, identity: keyless.identity, tlogEntry: keyless.tlogEntry },
      });
      return;
    }
    line(io.stdout, `Signed ${pinned}`);
    if (cosign) {
      const tag = cosign.signatureTag;
      line(
        io.stdout,
        `  cosign .sig     ${tag.tag}: ${tag.added ? 'signature added' : 'already signed by this key'} (${tag.layers} signature${tag.layers === 1 ? '' : 's'})`,
      );
      line(
        io.stdout,
        `  cosign bundle   ${cosign.bundle.digest}: ${cosign.bundle.added ? 'referrer added' : 'already signed by this key'}`,
      );
    }
    if (notary) line(io.stdout, `  notation        ${notary.digest}: signed by ${terminalText(notary.signer)}`);
    if (keyless)
      line(
        io.stdout,
        `  keyless bundle  ${keyless.bundle.digest}: signed as ${terminalText(keyless.identity.subject)} (issuer ${terminalText(keyless.identity.issuer)}), Rekor entry ${keyless.tlogEntry.logIndex}`,
      );
  });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
  }
}
