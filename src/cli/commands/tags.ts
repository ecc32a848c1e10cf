import { parseReference } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { terminalText, type CliIo } from '../io';
import { expectPositionals, type CommonOptions } from '../options';
import { writeLines } from '../writeLines';
import { UsageError } from '../usage';

/** `oci-gitops tags <repository>`: every tag, every page followed. */
export async function tagsCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['repository'], 'tags');
  const ref = parseReference(input, { allowDockerHubShortNames: true });
  if (ref.tag || ref.digest)
    throw new UsageError(`tags takes a repository without a tag or digest, e.g. ${ref.registry}/${ref.repository}`);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    await writeLines(io.stdout, client.repository(ref).tags({ pageSize: options.pageSize }), terminalText);
  } finally {
    await client.close();
  }
}
