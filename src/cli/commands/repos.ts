import { parseRegistryHost } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { reposFlags } from '../commandLine/repos';
import { expectPositionals } from '../commandLine/positionals';
import { writeLines } from '../writeLines';

type ReposOptions = Options<typeof reposFlags>;

/** `oci-gitops repos <registry>`: every repository of the catalog, every page followed. */
export async function reposCommand(positionals: string[], options: ReposOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['registry'], 'repos');
  const registry = parseRegistryHost(input);
  const client = await clientFromOptions(registry, options, io);
  try {
    await writeLines(io.stdout, client.registry(registry).repositories({ pageSize: options['page-size'] }), terminalText);
  } finally {
    await client.close();
  }
}
