/**
 * The public contract of the gateway: the only module a plugin may import.
 */
export * from './manifest';
export * from './account-settings';
export * from './message.model';
export * from './channel-adapter';
export * from './errors';
export * from './html-events';
