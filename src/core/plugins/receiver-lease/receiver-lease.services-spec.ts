import { describe } from '@jest/globals';
import { createPostgresTestDatabase } from '../../persistence/testing/test-database';
import { receiverLeaseSuite } from './testing/receiver-lease-suite';

describe('receiver lease on PostgreSQL', () => {
  receiverLeaseSuite(() => createPostgresTestDatabase());
});
