import { PERSISTENCE_ENTITIES } from './persistence-entities';
import { QUEUE_ENTITIES } from '../../queue/queue-entities';

/** Every entity of the gateway; each migration in ../migrations creates its tables. */
export const GATEWAY_ENTITIES: (new (...args: never[]) => unknown)[] = [
  ...PERSISTENCE_ENTITIES,
  ...QUEUE_ENTITIES,
];
