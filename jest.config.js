/** @type {import('jest').Config} */
// `npm test`: every suite that needs no external server (SQLite, embedded queue, simulators on
// loopback). Service-backed suites (`*.services-spec.ts`, Redis and PostgreSQL) have their own
// config, jest.services.config.js, run by `npm run test:services`.
// Tests are transpiled only (fast); `npm run lint` type-checks everything with tsc.
module.exports = {
  displayName: 'unit',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  testMatch: ['<rootDir>/{src,plugins,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
