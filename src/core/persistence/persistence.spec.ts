import { persistenceSuite } from './testing/persistence-suite';
import { createSqliteTestDatabase } from './testing/test-database';

describe('persistence on SQLite', () => {
  persistenceSuite(createSqliteTestDatabase);
});
