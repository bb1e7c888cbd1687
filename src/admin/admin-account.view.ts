import type { ChannelAccount } from '../core/persistence/models/channel-account.model';
import type { AccountHealth, AdapterSupervisor } from '../core/plugins/adapter-supervisor';
import {
  type ThreadingSettings,
  threadingSettingsOf,
} from '../hubspot/threading/threading-settings';

/** How the admin API shows a channel account: never its credentials. */
export type AdminAccountView = Omit<ChannelAccount, 'credentials'> & {
  /** Whether this process receives for the account (`stopped` when it does not). */
  receiving: Pick<AccountHealth, 'state' | 'warnings'> & Partial<AccountHealth>;
  /** The threading settings in effect (the defaults when none are stored). */
  threading: ThreadingSettings;
};

/** The receiving state of every account this process supervises, by account id. */
export function receivingStates(supervisor: AdapterSupervisor): Map<string, AccountHealth> {
  return new Map(
    supervisor.health().flatMap((a) => a.accounts.map((account) => [account.id, account])),
  );
}

export function toAdminAccountView(
  { credentials: _credentials, ...account }: ChannelAccount,
  receiving: ReadonlyMap<string, AccountHealth>,
): AdminAccountView {
  return {
    ...account,
    receiving: receiving.get(account.id) ?? { state: 'stopped', warnings: [] },
    threading: threadingSettingsOf(account.settings),
  };
}
