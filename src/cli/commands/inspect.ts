import { describeArtifact, factText, FOUND_BY_TEXT, type ArtifactDescription } from '../../artifact/describe';
import { formatReference, isIndex, parseReference } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { inspectFlags } from '../commandLine/inspect';
import { expectPositionals } from '../commandLine/positionals';
import { formatSize } from '../../text/format';

type InspectOptions = Options<typeof inspectFlags>;

/** `oci-gitops inspect <reference>`: the manifest, its verified digest, what it is and what refers to it. */
export async function inspectCommand(positionals: string[], options: InspectOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['reference'], 'inspect');
  const ref = parseReference(input);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const described = await describeArtifact(client.repository(ref), ref);
    if (described.referrersError) throw described.referrersError;
    if (options.json) {
      printJson(io.stdout, inspectJson(formatReference(ref), described));
      return;
    }
    printDescription(io, formatReference(ref), described);
  } finally {
    await client.close();
  }
}

/** The JSON `inspect --json` prints: the fields it always had, then kind, summary, platforms and described referrers. */
function inspectJson(reference: string, d: ArtifactDescription): Record<string, unknown> {
  return {
    reference,
    pinned: d.pinned,
    digest: d.descriptor.digest,
    digestVerified: true,
    mediaType: d.descriptor.mediaType,
    artifactType: d.manifest.artifactType ?? null,
    size: d.descriptor.size,
    manifest: d.manifest,
    kind: d.kind.kind.id,
    kindLabel: d.kind.kind.label,
    ...(d.kind.kind.id === 'unknown' ? { mediaTypes: d.kind.mediaTypes } : {}),
    summary: d.facts,
    headline: d.headline ?? null,
    ...(d.platforms ? { platforms: d.platforms } : {}),
    // Each entry keeps the descriptor's own fields (as before) and says what it is and how it was found.
    referrers: d.referrers.map((r) => ({
      ...r.descriptor,
      kind: r.kind.id,
      kindLabel: r.kind.label,
      label: r.label,
      category: r.category,
      foundBy: r.foundBy,
      ...(r.tag ? { tag: r.tag } : {}),
    })),
  };
}

function printDescription(io: CliIo, reference: string, d: ArtifactDescription): void {
  const { descriptor, manifest } = d;
  const out = (label: string, value: string) => line(io.stdout, `${`${label}:`.padEnd(15)}${value}`);
  out('Reference', shown(reference));
  out('Digest', `${descriptor.digest} (verified)`);
  out('Kind', `${shown(d.kind.kind.label)} (${d.kind.kind.id})`);
  if (d.kind.kind.id === 'unknown') out('Media types', shown(d.kind.mediaTypes.join(', ')));
  for (const [name, value] of Object.entries(d.facts)) if (value !== undefined) out(`  ${name}`, shown(factText(value)));
  out('Media type', shown(descriptor.mediaType));
  if (manifest.artifactType) out('Artifact type', shown(manifest.artifactType));
  out('Size', formatSize(descriptor.size));
  if (isIndex(manifest)) {
    line(io.stdout, 'Manifests:');
    manifest.manifests.forEach((m, i) =>
      line(io.stdout, `  ${m.digest}  ${shown(m.mediaType)}  ${formatSize(m.size)}  ${shown(d.platforms?.[i] ?? '')}`.trimEnd()),
    );
  } else {
    out('Config', `${shown(manifest.config.mediaType)}  ${manifest.config.digest}  ${formatSize(manifest.config.size)}`);
    line(io.stdout, 'Layers:');
    for (const layer of manifest.layers ?? []) {
      const title = layer.annotations?.['org.opencontainers.image.title'];
      line(io.stdout, `  ${layer.digest}  ${shown(layer.mediaType)}  ${formatSize(layer.size)}${title ? `  ${shown(title)}` : ''}`);
    }
  }
  if (manifest.subject) out('Subject', `${manifest.subject.digest}  ${shown(manifest.subject.mediaType)}`);
  const annotations = Object.entries(manifest.annotations ?? {});
  if (annotations.length > 0) {
    line(io.stdout, 'Annotations:');
    for (const [key, value] of annotations.sort(([a], [b]) => a.localeCompare(b))) line(io.stdout, `  ${shown(key)}: ${shown(value)}`);
  }
  line(io.stdout, d.referrers.length ? 'Referrers:' : 'Referrers:     none');
  for (const r of d.referrers) {
    const how = r.tag ? `${FOUND_BY_TEXT[r.foundBy]} ${shown(r.tag)}` : FOUND_BY_TEXT[r.foundBy];
    line(io.stdout, `  ${shown(r.descriptor.digest)}  ${shown(r.label)}  ${formatSize(r.descriptor.size)}  (${how})`);
  }
}
