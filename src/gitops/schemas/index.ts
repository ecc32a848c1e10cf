import { gitOpsKinds } from '../kinds';
import type { KindSchema } from './kindSchema';

export type { KindSchema } from './kindSchema';

/** Our schemas, one per apiVersion and kind, from the kinds' modules (kinds/*). */
export const kindSchemas: readonly KindSchema[] = gitOpsKinds.flatMap((k) => k.schemas);
