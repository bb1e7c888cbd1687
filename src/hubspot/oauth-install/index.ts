export * from './hubspot-scopes';
export * from './oauth-install.module';
export * from './oauth-install.options';
export * from './oauth-pages';
export * from './oauth-state';
