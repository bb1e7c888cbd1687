import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { MessagesByThread1764000003000 } from './1764000003000-messages-by-thread';

/** The migrations owned by src/core/persistence, in order. */
export const PERSISTENCE_MIGRATIONS = [InitialSchema1764000000000, MessagesByThread1764000003000];
