import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ContactsApi } from '../client/contacts.api';
import type { ConversationsApi } from '../client/conversations.api';
import type { FilesApi } from '../client/files.api';
import { HubSpotClient } from '../client/hubspot-client';
import type { MessagesApi } from '../client/messages.api';

/** The part of a portal's HubSpot API the inbound pipeline uses. */
export interface InboundPortalApi {
  messages: Pick<MessagesApi, 'publish' | 'get'>;
  files: Pick<FilesApi, 'uploadToChannelFolder'>;
  conversations: Pick<ConversationsApi, 'getThread'>;
  contacts: Pick<ContactsApi, 'findOneBy'>;
}

/** Where the inbound pipeline gets a portal's API; a port so that unit tests can fake HubSpot. */
export abstract class HubSpotPortals {
  abstract forPortal(portalId: string): InboundPortalApi;
}

/** The gateway's HubSpotClient (from the global HubSpotClientModule). */
@Injectable()
export class ClientHubSpotPortals extends HubSpotPortals implements OnModuleInit {
  private client?: HubSpotClient;

  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  onModuleInit(): void {
    try {
      this.client = this.moduleRef.get(HubSpotClient, { strict: false });
    } catch (error) {
      throw new Error('HubSpotInboundModule needs HubSpotClientModule in the application', {
        cause: error,
      });
    }
  }

  forPortal(portalId: string): InboundPortalApi {
    if (!this.client) throw new Error('HubSpotInboundModule is not initialised yet');
    return this.client.forPortal(portalId);
  }
}
