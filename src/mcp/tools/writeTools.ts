import { readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  copyArtifact,
  copyReport,
  copyTags,
  executeRepositoryCopy,
  planRepositoryCopy,
  releaseTags,
  tagResultLines,
} from '../../artifact/copy';
import { selectTags } from '../../gitops/semver';
import { isArtifactFormat } from '../../artifact/formats';
import { pushFolder } from '../../artifact/push';
import type { TagMove } from '../../artifact/tagMoves';
import { formatReference, formatRepository, isOciError, OciError, parseReference, pinned, validateDigest, type Reference } from '../../oci';
import { loadCosignSigningKey, loadNotationSigningMaterial, resolveSubject, signWithCosignKey, signWithNotation } from '../../signing';
import { WRITES } from '../annotations';
import type { McpContext } from '../context';
import { pathWithinRoots } from '../paths';
import { errorResult, jsonResult } from '../results';

const confirmMoves = z
  .array(z.object({ tag: z.string(), currentDigest: z.string().describe('The digest the tag points at now (from inspect)') }))
  .optional()
  .describe(
    'Tags that already exist and may be moved, each with the digest it points at now. Without an entry naming the current digest, a tag that points elsewhere is never moved.',
  );

/**
 * A confirmation that allows exactly the moves the agent named, each by the digest the tag points
 * at when the move is made: a tag that moved in the meantime is not moved again on stale consent.
 */
function movesConfirmedBy(given: { tag: string; currentDigest: string }[] | undefined): (moves: TagMove[]) => Promise<boolean> {
  return async (moves) => moves.every((m) => given?.some((c) => c.tag === m.tag && c.currentDigest === m.from));
}

export function registerWriteTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'push',
    {
      title: 'Push a folder',
      description:
        'Pushes a workspace folder as an artifact that Flux and Argo CD accept (reproducible: the same files give the same digest). A tag that exists and points at another artifact is moved only when confirmMoves names it with its current digest.',
      inputSchema: {
        folder: z.string().describe('A folder in the workspace'),
        reference: z.string().describe('registry/repository:tag to push to'),
        tags: z.array(z.string()).optional().describe('More tags for the same artifact'),
        format: z.enum(['default', 'flux', 'oras']).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
        confirmMoves,
      },
      annotations: { ...WRITES, title: 'Push a folder' },
    },
    async (args) => {
      try {
        const ref = parseReference(args.reference);
        if (!ref.tag) throw new Error('push needs a tag: registry/repository:tag');
        const format = args.format ?? 'default';
        if (!isArtifactFormat(format)) throw new Error(`format takes default, flux or oras; got "${format}"`);
        const result = await pushFolder(ctx.client, pathWithinRoots(args.folder, ctx.roots), ref, {
          tags: args.tags ?? [],
          format,
          annotations: args.annotations ?? {},
          confirmMove: movesConfirmedBy(args.confirmMoves),
        });
        return jsonResult({
          pinned: result.pinned,
          digest: result.digest,
          tags: result.tags,
          files: result.files,
          uploadedBytes: result.uploadedBytes,
        });
      } catch (error) {
        return errorResult(`Could not push ${args.folder} to ${args.reference}`, error);
      }
    },
  );

  server.registerTool(
    'copy',
    {
      title: 'Copy or promote an artifact',
      description:
        'Copies an artifact by digest to another repository or registry (every platform of an index), with referrers (signatures, SBOMs, attestations) when asked; tags are set only when everything is there. Promoting is copying to a destination tag: a destination tag that points elsewhere moves only when confirmMoves names it with its current digest. With allTags, semver or tagRegex, source and destination are repositories and every selected tag is copied (each fully or not at all); a destination tag at another digest is reported as drifted and left alone unless confirmMoves names it.',
      inputSchema: {
        source: z.string().describe('registry/repository:tag or @sha256:…; a repository with allTags, semver or tagRegex'),
        destination: z.string().describe('registry/repository[:tag]; without a tag, a tagged source keeps its tag'),
        referrers: z.boolean().optional().describe('Also copy what refers to the artifact (default true)'),
        allTags: z
          .boolean()
          .optional()
          .describe('Copy every tag of the source repository (cosign and referrers tags go with their artifact)'),
        semver: z.string().optional().describe("Copy only the tags this constraint picks, read as Flux's ref.semver"),
        tagRegex: z.string().optional().describe('Copy only the tags this Go regular expression matches (unanchored)'),
        confirmMoves,
      },
      annotations: { ...WRITES, title: 'Copy or promote an artifact' },
    },
    async (args) => {
      try {
        const source = parseReference(args.source);
        const destination = parseReference(args.destination);
        if (args.allTags || args.semver !== undefined || args.tagRegex !== undefined)
          return jsonResult(await copyRepository(ctx, source, destination, args));
        if (destination.digest) throw new Error('give the destination as registry/repository[:tag]: a copy keeps the source digest');
        const tags = copyTags(source, destination);
        const { plan, result } = await copyArtifact(
          ctx.client.repository(source),
          source.digest ?? source.tag ?? 'latest',
          ctx.client.repository(destination),
          { referrers: args.referrers ?? true, tags, confirmMove: movesConfirmedBy(args.confirmMoves) },
        );
        if (result.failures.length > 0)
          throw new OciError(
            'PROTOCOL',
            `${result.failures.length} item(s) not copied, so no tag was set: ${result.failures.map((f) => `${f.what}: ${f.message}`).join('; ')}`,
          );
        return jsonResult(copyReport(plan, result));
      } catch (error) {
        return errorResult(`Could not copy ${args.source} to ${args.destination}`, error);
      }
    },
  );

  server.registerTool(
    'sign',
    {
      title: 'Sign an artifact',
      description:
        "Signs an artifact's digest with a cosign key (both the legacy .sig tag and a Sigstore bundle referrer, as cosign and Flux verify) and/or a notation key and certificate chain. Key files are paths in the workspace; the cosign key's password is read from the server's COSIGN_PASSWORD environment, never passed as an argument.",
      inputSchema: {
        reference: z.string().describe('registry/repository:tag or @sha256:…; a tag is resolved once and only the digest is signed'),
        cosignKey: z.string().optional().describe('A cosign.key file'),
        notationKey: z.string().optional().describe('A PEM private key file for notation'),
        notationCert: z.string().optional().describe('Its certificate chain (PEM, leaf first)'),
      },
      annotations: { ...WRITES, destructiveHint: false, title: 'Sign an artifact' },
    },
    async (args) => {
      try {
        if (!args.cosignKey && !args.notationKey) throw new Error('give cosignKey, or notationKey with notationCert');
        if (Boolean(args.notationKey) !== Boolean(args.notationCert)) throw new Error('notationKey and notationCert go together');
        let cosignKey;
        if (args.cosignKey) {
          const password = ctx.env.COSIGN_PASSWORD;
          if (password === undefined)
            throw new Error(
              "the cosign key's password is read from COSIGN_PASSWORD in the server's environment; set it there (empty for a key without password)",
            );
          const path = pathWithinRoots(args.cosignKey, ctx.roots);
          cosignKey = await loadCosignSigningKey(readFileSync(path, 'utf8'), password, path);
        }
        let notation;
        if (args.notationKey && args.notationCert) {
          const keyPath = pathWithinRoots(args.notationKey, ctx.roots);
          const certPath = pathWithinRoots(args.notationCert, ctx.roots);
          notation = loadNotationSigningMaterial(readFileSync(keyPath, 'utf8'), keyPath, readFileSync(certPath, 'utf8'), certPath);
        }
        const ref = parseReference(args.reference);
        const repo = ctx.client.repository(ref);
        const subject = await resolveSubject(repo, ref);
        const cosign = cosignKey ? await signWithCosignKey(repo, subject, cosignKey) : undefined;
        const notary = notation ? await signWithNotation(repo, subject, notation.key, notation.chain) : undefined;
        return jsonResult({
          pinned: formatReference(pinned(ref, subject.digest)),
          ...(cosign
            ? { cosign: { signatureTag: cosign.signatureTag.tag, added: cosign.signatureTag.added, bundle: cosign.bundle.digest } }
            : {}),
          ...(notary ? { notation: { digest: notary.digest, signer: notary.signer } } : {}),
        });
      } catch (error) {
        return errorResult(`Could not sign ${args.reference}`, error);
      }
    },
  );

  server.registerTool(
    'delete_tag',
    {
      title: 'Delete a tag',
      description:
        'Deletes one tag, only when confirmDigest names the digest it points at now (from inspect). Registries that delete only whole manifests (Distribution 2.x) refuse unless deleteManifest is true, which removes every tag of that digest.',
      inputSchema: {
        reference: z.string().describe('registry/repository:tag'),
        confirmDigest: z.string().describe('The digest the tag points at now'),
        deleteManifest: z
          .boolean()
          .optional()
          .describe('Where the registry cannot delete a tag alone, delete the manifest (and all its tags)'),
      },
      annotations: { ...WRITES, idempotentHint: true, title: 'Delete a tag' },
    },
    async (args) => {
      try {
        const ref = parseReference(args.reference);
        if (!ref.tag || ref.digest) throw new Error('delete_tag takes registry/repository:tag');
        validateDigest(args.confirmDigest);
        const repo = ctx.client.repository(ref);
        const now = (await repo.resolve(ref.tag)).digest;
        if (now !== args.confirmDigest)
          throw new OciError('TAG_EXISTS', `${formatReference(ref)} points at ${now}, not at ${args.confirmDigest}; nothing was deleted`, {
            hint: 'Inspect it again and confirm the digest it points at now',
          });
        try {
          await repo.deleteTag(ref.tag);
          return jsonResult({ deleted: formatReference(ref), digest: now });
        } catch (error) {
          if (!isOciError(error, 'UNSUPPORTED') || !args.deleteManifest) throw error;
          await repo.deleteManifest(now);
          return jsonResult({ deleted: formatReference(ref), digest: now, manifestDeleted: true });
        }
      } catch (error) {
        return errorResult(`Could not delete ${args.reference}`, error);
      }
    },
  );
}

/** The copy tool's repository mode: the selected tags, each fully copied or untouched; drift is reported, moved only on named consent. */
async function copyRepository(
  ctx: McpContext,
  source: Reference,
  destination: Reference,
  args: { referrers?: boolean; semver?: string; tagRegex?: string; confirmMoves?: { tag: string; currentDigest: string }[] },
) {
  if (source.tag || source.digest || destination.tag || destination.digest)
    throw new Error('allTags, semver and tagRegex copy the tags of a repository: give source and destination as registry/repository');
  const from = ctx.client.repository(source);
  const listed: string[] = [];
  for await (const tag of from.tags()) listed.push(tag);
  const selected = selectTags(releaseTags(listed), { semver: args.semver, tagRegex: args.tagRegex });
  if (selected.error) throw new Error(selected.error);
  const plan = await planRepositoryCopy(from, ctx.client.repository(destination), selected.tags, {
    referrers: args.referrers ?? true,
    listedTags: listed,
  });
  const result = await executeRepositoryCopy(plan, {
    force: (tag, current) => !!args.confirmMoves?.some((c) => c.tag === tag && c.currentDigest === current),
  });
  if (result.counts.failed > 0)
    throw new OciError('PROTOCOL', `${result.counts.failed} tag(s) not copied, and untouched: ${tagResultLines(result).join('; ')}`);
  return {
    source: formatRepository(source),
    destination: formatRepository(destination),
    counts: result.counts,
    tags: result.tags,
    blobs: result.blobs,
    manifests: result.manifests,
    referrers: result.referrers,
    warnings: plan.warnings,
  };
}
