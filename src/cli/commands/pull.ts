import { pullToFolder } from '../../artifact/pull';
import { parseReference, formatReference, pinned } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { pullFlags } from '../commandLine/pull';
import { expectPositionals } from '../commandLine/positionals';

type PullOptions = Options<typeof pullFlags>;

/** `oci-gitops pull <reference> <folder>` */
export async function pullCommand(positionals: string[], options: PullOptions, io: CliIo): Promise<void> {
  const [input, folder] = expectPositionals(positionals, ['reference', 'folder'], 'pull');
  const ref = parseReference(input);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const result = await pullToFolder(client, ref, folder);
    for (const skipped of result.skipped) line(io.stderr, `skipped ${terminalText(skipped.path)}: ${terminalText(skipped.reason)}`);
    line(io.stderr, `Pulled ${result.files} files from ${formatReference(pinned(ref, result.digest))} into ${folder}`);
  } finally {
    await client.close();
  }
}
