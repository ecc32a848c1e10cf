import { parseRegistryHost } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { terminalText, type CliIo } from '../io';
import { expectPositionals, type CommonOptions } from '../options';
import { writeLines } from '../writeLines';

/** `oci-gitops repos <registry>`: every repository of the catalog, every page followed. */
export async function reposCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['registry'], 'repos');
  const registry = parseRegistryHost(input);
  const client = await clientFromOptions(registry, options, io);
  try {
    await writeLines(io.stdout, client.registry(registry).repositories({ pageSize: options.pageSize }), terminalText);
  } finally {
    await client.close();
  }
}
