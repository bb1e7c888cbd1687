export * from './logger';
export * from './nest-pino.logger';
export * from './secret-redactor';
export * from './logger.tokens';
