import { gatewaySchemaSuite } from './testing/gateway-schema-suite';
import { createSqliteTestDatabase } from './testing/test-database';

describe('gateway schema on SQLite', () => {
  gatewaySchemaSuite(createSqliteTestDatabase);
});
