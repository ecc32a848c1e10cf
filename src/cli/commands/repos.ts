import { parseRegistryHost } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, terminalText, type CliIo } from '../io';
import { expectPositionals, type CommonOptions } from '../options';

/** `oci-gitops repos <registry>`: every repository of the catalog, every page followed. */
export async function reposCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['registry'], 'repos');
  const registry = parseRegistryHost(input);
  const client = await clientFromOptions(registry, options, io);
  try {
    for await (const repository of client.registry(registry).repositories({ pageSize: options.pageSize })) line(io.stdout, terminalText(repository));
  } finally {
    await client.close();
  }
}
