import type { DataSource } from 'typeorm';
import type { SecretCipher } from '../../crypto/secret-cipher';
import { AccountStateRepository } from './account-state.repository';
import { ChannelAccountRepository } from './channel-account.repository';
import { ChannelRegistrationRepository } from './channel-registration.repository';
import { ConversationRepository } from './conversation.repository';
import { InstallRepository } from './install.repository';
import { MessageRepository } from './message.repository';
import { ProcessedEventRepository } from './processed-event.repository';

/** Every repository of src/core/persistence, built without Nest (tests, CLI). */
export interface PersistenceRepositories {
  installs: InstallRepository;
  channelRegistrations: ChannelRegistrationRepository;
  channelAccounts: ChannelAccountRepository;
  accountState: AccountStateRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  processedEvents: ProcessedEventRepository;
}

export function createRepositories(
  dataSource: DataSource,
  cipher: SecretCipher,
): PersistenceRepositories {
  return {
    installs: new InstallRepository(dataSource, cipher),
    channelRegistrations: new ChannelRegistrationRepository(dataSource),
    channelAccounts: new ChannelAccountRepository(dataSource, cipher),
    accountState: new AccountStateRepository(dataSource, cipher),
    conversations: new ConversationRepository(dataSource),
    messages: new MessageRepository(dataSource),
    processedEvents: new ProcessedEventRepository(dataSource),
  };
}
