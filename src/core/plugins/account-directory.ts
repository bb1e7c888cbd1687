import type { Credentials } from '../adapter';

/** A connected channel account as the supervisor needs it: decrypted and ready to start. */
export interface ReceivingAccount {
  id: string;
  adapterId: string;
  name: string;
  credentials: Credentials;
  settings: Record<string, unknown>;
}

/**
 * Where the supervisor finds the accounts that should be receiving. Implemented over the
 * channel-account repository; a port so the supervisor stays testable without a database.
 */
export abstract class AccountDirectory {
  abstract listReceivingAccounts(adapterId: string): Promise<ReceivingAccount[]>;
  abstract findReceivingAccount(accountId: string): Promise<ReceivingAccount | undefined>;
}
