import { persistenceSuite } from './testing/persistence-suite';
import { createPostgresTestDatabase } from './testing/test-database';

describe('persistence on PostgreSQL', () => {
  persistenceSuite(() => createPostgresTestDatabase());
});
