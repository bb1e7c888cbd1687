import { DeadLetterEntity } from './dead-letter.entity';
import { QueueJobEntity } from './embedded/queue-job.entity';
import { QueueLeaseEntity } from './embedded/queue-lease.entity';

/** The queue's entities, registered in GATEWAY_ENTITIES. */
export const QUEUE_ENTITIES = [QueueJobEntity, QueueLeaseEntity, DeadLetterEntity];
