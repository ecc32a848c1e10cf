import { readFileSync } from 'node:fs';
import { SigningError } from '../errors';
import { getIdentityTokenInteractively, type LoopbackOptions } from './oidcLoopback';
import { errorMessage } from '../../text/format';

/**
 * Where a keyless signer's identity token comes from, in cosign's order: an explicit token (the
 * SIGSTORE_ID_TOKEN variable CI systems set, or a file such as a mounted projected token), and
 * only then the interactive browser sign-in.
 */
export async function resolveIdentityToken(source: {
  envToken?: string;
  tokenFile?: string;
  interactive: LoopbackOptions;
}): Promise<string> {
  if (source.tokenFile) {
    let text: string;
    try {
      text = readFileSync(source.tokenFile, 'utf8');
    } catch (error) {
      throw new SigningError(
        'KEY_INVALID',
        `Cannot read the identity token file ${source.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
        'Check the path given to --identity-token-file',
      );
    }
    if (text.trim() === '') throw new SigningError('KEY_INVALID', `The identity token file ${source.tokenFile} is empty`);
    return text.trim();
  }
  if (source.envToken && source.envToken.trim() !== '') return source.envToken.trim();
  return getIdentityTokenInteractively(source.interactive);
}
