export * from './config-error';
export * from './config.loader';
export * from './gateway-config';
export * from './config.tokens';
