import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { listArtifactFiles } from '../artifact/contents';
import { formatReference, isIndex, OciError, parseReference } from '../oci';
import type { McpContext } from './context';
import { truncatedText } from './results';

/** The most of one file a resource read returns, as read_file's largest. */
const MAX_RESOURCE_BYTES = 256 * 1024;

/**
 * An artifact's files as resources, addressed by reference and path
 * (`oci-artifact://file?reference=ghcr.io/acme/app@sha256:…&path=deploy.yaml`), so a client can
 * attach one to a conversation. Each read is verified against the layer's digest.
 */
export function registerArtifactResources(server: McpServer, ctx: McpContext): void {
  server.registerResource(
    'artifact-file',
    new ResourceTemplate('oci-artifact://file{?reference,path}', { list: undefined }),
    {
      title: 'A file of an OCI artifact',
      description:
        'One file of a Flux or Argo CD artifact (or any artifact with files), read from the registry and verified against its digest.',
      mimeType: 'text/plain',
    },
    async (uri, variables) => {
      const reference = single(variables.reference, 'reference');
      const path = single(variables.path, 'path');
      const ref = parseReference(reference);
      const repo = ctx.client.repository(ref);
      const { manifest } = await repo.fetchManifest(ref);
      if (isIndex(manifest)) throw new OciError('UNSUPPORTED', `${reference} is an index; name one of its manifests`);
      const file = (await listArtifactFiles(repo, manifest)).files.get(path);
      if (!file) throw new OciError('UNSUPPORTED', `${formatReference(ref)} has no file ${JSON.stringify(path)}`);
      const bytes = await file.read();
      if (bytes.subarray(0, 8000).includes(0)) {
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: `(a binary file of ${bytes.length} bytes: not shown)` }] };
      }
      const { text, notice } = truncatedText(bytes, MAX_RESOURCE_BYTES);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: ctx.secrets.redact(notice ? `${text}\n[${notice}]` : text) }] };
    },
  );
}

function single(value: string | string[] | undefined, name: string): string {
  const one = Array.isArray(value) ? value[0] : value;
  if (!one) throw new Error(`the resource URI needs ${name}=…`);
  // The SDK matches the template on the URI as written: query values are still percent-encoded.
  return decodeURIComponent(one);
}
