import { Injectable } from '@nestjs/common';
import { RetryableError, type DeliveryIdentifierType } from '../../core/adapter';
import { SecretRedactor } from '../../core/logging';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import { AdapterSupervisor } from '../../core/plugins/adapter-supervisor';
import type { AttachmentSource } from './attachment-uploader.service';

/** How long to wait before trying again when the account's adapter is not running. */
const ADAPTER_DOWN_RETRY_MS = 60_000;

/**
 * What the inbound pipeline needs from an account's adapter: its customers' identifier type and
 * the bytes of attachments. A port so that the publisher can be tested without plugins.
 */
export abstract class PlatformAccess {
  /** The type of the customers' delivery identifiers on the account's channel. */
  abstract identifierTypeOf(account: ChannelAccount): DeliveryIdentifierType;
  abstract attachmentSource(account: ChannelAccount): AttachmentSource;
}

/** Through the running adapters, with a context that works on any gateway process. */
@Injectable()
export class SupervisorPlatformAccess extends PlatformAccess {
  constructor(
    private readonly supervisor: AdapterSupervisor,
    private readonly redactor: SecretRedactor,
  ) {
    super();
  }

  /**
   * The account's own identifier has the channel's type (the manifest declares one type for the
   * account and its customers); the manifest answers for an account that has none stored.
   */
  identifierTypeOf(account: ChannelAccount): DeliveryIdentifierType {
    return (
      account.deliveryIdentifier?.type ??
      this.supervisor.getAdapter(account.adapterId)?.manifest.deliveryIdentifierType ??
      'CHANNEL_SPECIFIC_OPAQUE_ID'
    );
  }

  attachmentSource(account: ChannelAccount): AttachmentSource {
    return {
      open: async (attachment) => {
        const adapter = this.supervisor.getAdapter(account.adapterId);
        if (!adapter) {
          throw new RetryableError(
            `adapter ${account.adapterId} is not running; its attachments cannot be opened`,
            ADAPTER_DOWN_RETRY_MS,
          );
        }
        // Decrypted credentials must never reach a log line.
        for (const value of Object.values(account.credentials)) this.redactor.register(value);
        const context = this.supervisor.contextForSending({
          id: account.id,
          adapterId: account.adapterId,
          name: account.name,
          credentials: account.credentials,
          settings: account.settings,
        });
        return adapter.openAttachment(context, attachment);
      },
    };
  }
}
