import { parseReference, type Descriptor, type Reference, type RepositoryApi, formatReference, pinned } from '../oci';
import { resolveSubject } from '../signing';
import { clientFromOptions } from './clientFromOptions';
import type { CliIo } from './io';
import type { RegistryOptions } from './commandLine/registryFlags';

export interface Subject {
  ref: Reference;
  repo: RepositoryApi;
  /** The manifest a tag resolves to: what signing and verifying are about. */
  descriptor: Descriptor;
  /** `registry/repository@sha256:…` */
  pinned: string;
}

/** Resolves a reference to its digest on a client for its registry, runs `work`, and closes the client. */
export async function withSubject<T>(
  input: string,
  options: RegistryOptions,
  io: CliIo,
  work: (subject: Subject) => Promise<T>,
): Promise<T> {
  const ref = parseReference(input);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const repo = client.repository(ref);
    const descriptor = await resolveSubject(repo, ref);
    return await work({ ref, repo, descriptor, pinned: formatReference(pinned(ref, descriptor.digest)) });
  } finally {
    await client.close();
  }
}
