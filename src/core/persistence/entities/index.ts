import { PERSISTENCE_ENTITIES } from './persistence-entities';
import { QUEUE_ENTITIES } from '../../queue/queue-entities';
import { ReceiverLeaseEntity } from '../../plugins/receiver-lease/receiver-lease.entity';

/** Every entity of the gateway; each migration in ../migrations creates its tables. */
export const GATEWAY_ENTITIES: (new (...args: never[]) => unknown)[] = [
  ...PERSISTENCE_ENTITIES,
  ...QUEUE_ENTITIES,
  ReceiverLeaseEntity,
];
