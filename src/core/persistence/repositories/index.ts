export * from './install.repository';
export * from './channel-registration.repository';
export * from './channel-account.repository';
export * from './account-state.repository';
export * from './conversation.repository';
export * from './message.repository';
export * from './processed-event.repository';
export * from './persistence-repositories';
