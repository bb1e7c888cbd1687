/** @type {import('jest').Config} */
// Tests are transpiled only (fast); `npm run lint` type-checks everything with tsc.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json' }];

// `unit` needs no external server (SQLite, embedded queue, simulators on loopback).
// `services` needs Redis and PostgreSQL on loopback; `.ci/run` starts them first.
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/{src,plugins,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      displayName: 'services',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/{src,plugins,test}/**/*.services-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
