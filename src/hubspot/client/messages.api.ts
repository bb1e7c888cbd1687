import type { components } from './generated/custom-channels-v3';
import type { HubSpotHttp } from './hubspot-http';
import { expandPath } from './path';

type Schemas = components['schemas'];
const MESSAGES = '/conversations/v3/custom-channels/{channelId}/messages' as const;
const MESSAGE = '/conversations/v3/custom-channels/{channelId}/messages/{messageId}' as const;

export type PublishMessage = Schemas['ChannelIntegrationMessageEgg'];
export type PublishedMessage = Schemas['PublicConversationsMessage'];
export type MessageStatusUpdate = Schemas['PublicChannelIntegrationMessageUpdateRequest'];
export type MessageAttachment = PublishMessage['attachments'][number];

/** Messages over a custom channel (spec 6 and 9), with the portal's OAuth token. */
export class MessagesApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  /** Publishes an INCOMING (or mirrored OUTGOING) message; 201 with HubSpot's message. */
  publish(
    channelId: string,
    message: PublishMessage,
    signal?: AbortSignal,
  ): Promise<PublishedMessage> {
    return this.http.json({
      method: 'POST',
      path: expandPath(MESSAGES, { channelId }),
      auth: { type: 'portal', portalId: this.portalId },
      json: message,
      signal,
    });
  }

  get(channelId: string, messageId: string): Promise<PublishedMessage> {
    return this.http.json({
      method: 'GET',
      path: expandPath(MESSAGE, { channelId, messageId }),
      auth: { type: 'portal', portalId: this.portalId },
    });
  }

  /** Reports SENT / FAILED (with `errorMessage`, shown to the agent) / READ for an agent message. */
  updateStatus(
    channelId: string,
    messageId: string,
    status: MessageStatusUpdate,
  ): Promise<PublishedMessage> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(MESSAGE, { channelId, messageId }),
      auth: { type: 'portal', portalId: this.portalId },
      json: status,
    });
  }
}
