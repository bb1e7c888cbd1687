import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** The migrations owned by src/core/persistence, in order. */
export const PERSISTENCE_MIGRATIONS = [InitialSchema1764000000000];
