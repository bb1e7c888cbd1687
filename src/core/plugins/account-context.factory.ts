import type { AccountContext, AccountStateStore, InboundEvent } from '../adapter';
import type { ReceivingAccount } from './account-directory';

/** Builds the AccountContext an adapter gets for one account. */
export abstract class AccountContextFactory {
  abstract create(account: ReceivingAccount, hooks: AccountContextHooks): AccountContext;
}

export interface AccountContextHooks {
  onWarning(message: string): void;
}

/** Where `AccountContext.emit` hands events: persisted and queued before it resolves. */
export abstract class InboundEventSink {
  abstract accept(account: ReceivingAccount, event: InboundEvent): Promise<void>;
}

/** Per-account key/value state, backed by the account-state table. */
export abstract class AccountStateStoreFactory {
  abstract forAccount(accountId: string): AccountStateStore;
}
