/**
 * Read tools change nothing, so VS Code runs them without asking. They reach only the registries
 * the user signed in to, and what they return from them is fenced as data; marked open-world,
 * VS Code would also hold every listing for a second review.
 */
export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;

/** What writes to a registry: the client asks the user before each call. */
export const WRITES = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false } as const;
