/** @type {import('jest').Config} */
// `npm run test:services`: suites against real Redis (REDIS_URL) and PostgreSQL
// (TEST_POSTGRES_URL) on loopback; `.ci/run` makes sure both are up first.
const unit = require('./jest.config');

module.exports = {
  ...unit,
  displayName: 'services',
  testMatch: ['<rootDir>/{src,plugins,test}/**/*.services-spec.ts'],
};
