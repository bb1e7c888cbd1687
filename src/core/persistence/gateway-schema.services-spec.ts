import { gatewaySchemaSuite } from './testing/gateway-schema-suite';
import { createPostgresTestDatabase } from './testing/test-database';

describe('gateway schema on PostgreSQL', () => {
  gatewaySchemaSuite(() => createPostgresTestDatabase());
});
