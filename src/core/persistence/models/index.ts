export * from './hubspot-install.model';
export * from './channel-registration.model';
export * from './channel-account.model';
export * from './conversation.model';
export * from './message.model';
