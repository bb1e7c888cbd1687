export * from './secret-cipher';
export * from './encryption-key';
