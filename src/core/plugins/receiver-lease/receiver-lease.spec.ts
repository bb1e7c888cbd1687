import { describe } from '@jest/globals';
import { createSqliteTestDatabase } from '../../persistence/testing/test-database';
import { receiverLeaseSuite } from './testing/receiver-lease-suite';

describe('receiver lease on SQLite', () => {
  receiverLeaseSuite(createSqliteTestDatabase);
});
