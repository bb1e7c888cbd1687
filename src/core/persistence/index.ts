export * from './database-options';
export * from './persistence.module';
export * from './models';
export * from './repositories';
export * from './record-not-found.error';
export * from './unique-violation';
export { toIsoTimestamp } from './columns';
