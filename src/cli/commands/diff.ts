import { readFile, stat } from 'node:fs/promises';
import { diffContents, unifiedDiff } from '../../artifact/diff';
import { readArtifactContents } from '../../artifact/contents';
import { ArtifactError } from '../../artifact/errors';
import { listFolder } from '../../artifact/folderEntries';
import { isLocalPathArgument } from '../../artifact/hostPaths';
import { formatReference, isIndex, OciError, parseReference, type OciClient } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, printJson, terminalLines, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { diffFlags } from '../commandLine/diff';
import { expectPositionals } from '../commandLine/positionals';

type DiffOptions = Options<typeof diffFlags>;

/** `oci-gitops diff <reference|folder> <reference>`: a content diff, file by file; exit 0 when equal, 1 when not. */
export async function diffCommand(positionals: string[], options: DiffOptions, io: CliIo): Promise<number> {
  const [left, right] = expectPositionals(positionals, ['reference|folder', 'reference'], 'diff');
  const rightRef = parseReference(right);
  const client = await clientFromOptions(rightRef.registry, options, io);
  try {
    const leftIsFolder = (await stat(left).catch(() => undefined))?.isDirectory() ?? false;
    if (!leftIsFolder && isLocalPathArgument(left))
      throw new ArtifactError('NOT_FOUND', `${left} is not a folder`, {
        hint: 'Give an existing folder or a registry reference to compare',
      });
    const before = leftIsFolder ? await folderContents(left) : await artifactFiles(client, left);
    const after = await artifactFiles(client, right);
    const diff = diffContents(before, after);
    const exitCode = diff.added.length + diff.removed.length + diff.changed.length === 0 ? 0 : 1;
    if (options.json) {
      printJson(io.stdout, diff);
      return exitCode;
    }
    for (const path of diff.added) line(io.stdout, `added    ${terminalText(path)}`);
    for (const path of diff.removed) line(io.stdout, `removed  ${terminalText(path)}`);
    for (const path of diff.changed) line(io.stdout, `changed  ${terminalText(path)}`);
    line(
      io.stdout,
      `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
    );
    for (const path of [...diff.added, ...diff.removed, ...diff.changed].sort()) {
      // File contents keep their lines; names and anything a terminal would act on are escaped.
      io.stdout.write(
        terminalLines(
          unifiedDiff(terminalText(path), before.get(path), after.get(path), { before: left, after: formatReference(rightRef) }),
        ),
      );
    }
    return exitCode;
  } finally {
    await client.close();
  }
}

async function artifactFiles(client: OciClient, input: string): Promise<Map<string, Buffer>> {
  const ref = parseReference(input);
  const repo = client.repository(ref);
  const { manifest } = await repo.fetchManifest(ref);
  if (isIndex(manifest)) throw new OciError('UNSUPPORTED', `${input} is an index; compare one of its manifests`);
  return (await readArtifactContents(repo, manifest)).files;
}

async function folderContents(folder: string): Promise<Map<string, Buffer>> {
  // A local folder is compared as it is: its names are already this machine's files.
  const listing = await listFolder(folder, { resolveSymlinks: true, allowNonportableNames: true });
  const files = new Map<string, Buffer>();
  for (const file of listing.files) files.set(file.path, await readFile(file.source));
  return files;
}
