import { Injectable } from '@nestjs/common';
import type { ChannelAccount } from '../persistence/models';
import { ChannelAccountRepository } from '../persistence/repositories/channel-account.repository';
import { SecretRedactor } from '../logging';
import { AccountDirectory, type ReceivingAccount } from './account-directory';

/** Accounts that should receive: active and authorized in HubSpot. */
@Injectable()
export class RepositoryAccountDirectory extends AccountDirectory {
  constructor(
    private readonly accounts: ChannelAccountRepository,
    private readonly redactor: SecretRedactor,
  ) {
    super();
  }

  async listReceivingAccounts(adapterId: string): Promise<ReceivingAccount[]> {
    const accounts = await this.accounts.listActive(adapterId);
    return accounts
      .filter((account) => account.authorized)
      .map((account) => this.toReceiving(account));
  }

  async findReceivingAccount(accountId: string): Promise<ReceivingAccount | undefined> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active' || !account.authorized) return undefined;
    return this.toReceiving(account);
  }

  private toReceiving(account: ChannelAccount): ReceivingAccount {
    // Decrypted credentials must never reach a log line.
    for (const value of Object.values(account.credentials)) this.redactor.register(value);
    return {
      id: account.id,
      adapterId: account.adapterId,
      name: account.name,
      credentials: account.credentials,
      settings: account.settings,
    };
  }
}
