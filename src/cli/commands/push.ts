import { isArtifactFormat } from '../../artifact/formats';
import { describeProblems } from '../../artifact/portableNames';
import { pushFolder } from '../../artifact/push';
import { parseReference } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, printJson, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { pushFlags } from '../commandLine/push';
import { expectPositionals } from '../commandLine/positionals';
import { UsageError } from '../usage';
import { formatSize } from '../../text/format';

type PushOptions = Options<typeof pushFlags>;

/** `oci-gitops push <folder> <reference>`: prints the pinned reference on stdout. */
export async function pushCommand(positionals: string[], options: PushOptions, io: CliIo): Promise<void> {
  const [folder, input] = expectPositionals(positionals, ['folder', 'reference'], 'push');
  const format = options.format ?? 'default';
  if (!isArtifactFormat(format)) throw new UsageError(`--format takes default, flux or oras; got "${format}"`);
  const ref = parseReference(input);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const result = await pushFolder(client, folder, ref, {
      tags: options.tag,
      format,
      source: options.source,
      revision: options.revision,
      annotations: options.annotation,
      force: options.force,
      resolveSymlinks: options['resolve-symlinks'],
      allowNonportableNames: options['allow-nonportable-names'],
      onNonportableNames: (problems) =>
        line(
          io.stderr,
          `warning: pushing names that are not the same file on Windows, macOS and Linux: ${terminalText(describeProblems(problems))}`,
        ),
    });
    if (options.json) {
      printJson(io.stdout, {
        pinned: result.pinned,
        digest: result.digest,
        tags: result.tags,
        files: result.files,
        ignored: result.ignored,
        nonportable: result.nonportable,
        uploadedBytes: result.uploadedBytes,
        annotations: result.annotations,
      });
      return;
    }
    line(
      io.stderr,
      `Pushed ${result.files} files (${formatSize(result.uploadedBytes)} uploaded, ${result.skippedBlobs} blobs already there) as ${result.tags.join(', ')}`,
    );
    line(io.stdout, result.pinned);
  } finally {
    await client.close();
  }
}
