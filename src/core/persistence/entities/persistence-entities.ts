import { AccountStateEntity } from './account-state.entity';
import { ChannelAccountEntity } from './channel-account.entity';
import { ChannelRegistrationEntity } from './channel-registration.entity';
import { ConversationEntity } from './conversation.entity';
import { HubSpotInstallEntity } from './hubspot-install.entity';
import { MessageExternalIdEntity } from './message-external-id.entity';
import { MessageEntity } from './message.entity';
import { ProcessedEventEntity } from './processed-event.entity';

/** The entities created by InitialSchema1764000000000. */
export const PERSISTENCE_ENTITIES = [
  HubSpotInstallEntity,
  ChannelRegistrationEntity,
  ChannelAccountEntity,
  AccountStateEntity,
  ConversationEntity,
  MessageEntity,
  MessageExternalIdEntity,
  ProcessedEventEntity,
];
