import { formatReference, isIndex, parseReference, referenceTarget, type Descriptor, type Manifest } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import { expectPositionals, type CommonOptions } from '../options';
import { formatSize } from '../../text/format';

/** `oci-gitops inspect <reference>`: the manifest, its verified digest and what refers to it. */
export async function inspectCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  const [input] = expectPositionals(positionals, ['reference'], 'inspect');
  const ref = parseReference(input);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const repository = client.repository(ref);
    const fetched = await repository.fetchManifest(referenceTarget(ref));
    const referrers = await repository.referrers(fetched.descriptor.digest);
    if (options.json) {
      printJson(io.stdout, {
        reference: formatReference(ref),
        pinned: `${ref.registry}/${ref.repository}@${fetched.descriptor.digest}`,
        digest: fetched.descriptor.digest,
        digestVerified: true,
        mediaType: fetched.descriptor.mediaType,
        artifactType: fetched.manifest.artifactType ?? null,
        size: fetched.descriptor.size,
        manifest: fetched.manifest,
        referrers,
      });
      return;
    }
    printManifest(io, formatReference(ref), fetched.descriptor, fetched.manifest, referrers);
  } finally {
    await client.close();
  }
}

function printManifest(io: CliIo, reference: string, descriptor: Descriptor, manifest: Manifest, referrers: Descriptor[]): void {
  const out = (label: string, value: string) => line(io.stdout, `${`${label}:`.padEnd(15)}${value}`);
  out('Reference', shown(reference));
  out('Digest', `${descriptor.digest} (verified)`);
  out('Media type', shown(descriptor.mediaType));
  if (manifest.artifactType) out('Artifact type', shown(manifest.artifactType));
  out('Size', formatSize(descriptor.size));
  if (isIndex(manifest)) {
    line(io.stdout, 'Manifests:');
    for (const m of manifest.manifests) {
      const platform = m.platform
        ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`
        : (m.artifactType ?? '');
      line(io.stdout, `  ${m.digest}  ${shown(m.mediaType)}  ${formatSize(m.size)}  ${shown(platform)}`.trimEnd());
    }
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
  line(io.stdout, referrers.length ? 'Referrers:' : 'Referrers:     none');
  for (const r of referrers) line(io.stdout, `  ${shown(r.digest)}  ${shown(r.artifactType ?? r.mediaType)}  ${formatSize(r.size)}`);
}
