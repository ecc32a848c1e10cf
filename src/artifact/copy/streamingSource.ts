import { PassThrough, type Readable } from 'node:stream';
import { OciError, type BlobSource, type Descriptor, type RepositoryApi, formatRepository } from '../../oci';

/**
 * A blob of one repository as the upload source of another: each `open` starts a fresh download,
 * verified against the descriptor as it streams (the stream fails before its end when the digest
 * or size is wrong, so the upload never completes with other bytes), and nothing is held in
 * memory beyond the streams' buffers. The size is the descriptor's, so a monolithic PUT carries
 * a Content-Length. Only the whole blob can be opened: a range could not be verified on its own.
 */
export function streamingSource(
  from: RepositoryApi,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  options: { signal?: AbortSignal; onBytes?: (sent: number) => void } = {},
): BlobSource {
  let current: Readable | undefined;
  return {
    digest: descriptor.digest,
    size: descriptor.size,
    open(start, end) {
      if (start !== 0 || (descriptor.size > 0 && end !== descriptor.size - 1)) {
        throw new OciError(
          'PROTOCOL',
          `Blob ${descriptor.digest} is streamed from ${formatRepository(from)} whole; bytes ${start}-${end} alone were asked for`,
          { registry: from.registry },
        );
      }
      // A re-open (a retried upload) supersedes the earlier download; end it so its connection is freed.
      current?.destroy();
      options.onBytes?.(0);
      // The upload needs its body now and the download answers later: the body is a stand-in the
      // verified download is piped into (progress is counted by the verifier, not by a stage of its own).
      const body = new PassThrough({ highWaterMark: 1024 * 1024 });
      current = body;
      from.fetchBlob(descriptor, { signal: options.signal, onBytes: options.onBytes }).then(
        (verified) => {
          if (body.destroyed) return void verified.destroy();
          body.once('close', () => verified.destroy());
          verified.on('error', (error) => body.destroy(error));
          verified.pipe(body);
        },
        (error: unknown) => body.destroy(error as Error),
      );
      return body;
    },
  };
}
