import type { DeliveryIdentifier } from '../../core/adapter';
import { DELIVERY_IDENTIFIER_TYPES } from '../../core/adapter/manifest';
import type { OutgoingMessageJob } from '../webhook/hubspot-event';

/** HubSpot's `fileUsageType` of a FILE attachment (spec 6.5). */
export type FileUsageType = 'AUDIO' | 'IMAGE' | 'OTHER' | 'STICKER' | 'VOICE_RECORDING';
const FILE_USAGE_TYPES: readonly FileUsageType[] = [
  'AUDIO',
  'IMAGE',
  'OTHER',
  'STICKER',
  'VOICE_RECORDING',
];

/** A FILE attachment of an agent's message (spec 7.2 / 8.2): an id, maybe a name and URL. */
export interface AgentFile {
  fileId?: string;
  url?: string;
  name?: string;
  usage: FileUsageType;
}

/** What the outbound pipeline needs of an OUTGOING_CHANNEL_MESSAGE_CREATED event. */
export interface AgentMessage {
  messageId: string;
  portalId: string;
  channelId: string;
  channelAccountId?: string;
  conversationsThreadId?: string;
  /** Top-level `channelIntegrationThreadIds` (our integrationThreadId of the thread). */
  integrationThreadIds: string[];
  text: string;
  richText?: string;
  files: AgentFile[];
  /** Types of attachments that carry no file (LOCATION, QUICK_REPLIES...): not sendable. */
  otherAttachmentTypes: string[];
  inReplyToId?: string;
  agentName?: string;
  /** The customer, as HubSpot names them (`recipients[0].deliveryIdentifier`). */
  recipient?: DeliveryIdentifier;
}

export type ParsedAgentMessage =
  { kind: 'deliver'; message: AgentMessage } | { kind: 'ignore'; reason: string };

type JsonObject = Record<string, unknown>;

/**
 * Reads the event kept on `hubspot-outgoing`. Ignores what is not an agent's reply to deliver:
 * INCOMING messages, and messages our own app published (a mirrored OUTGOING message would
 * otherwise be sent to the customer a second time; HubSpot is not known to echo them, but the
 * client type and app id make it certain).
 */
export function parseAgentMessage(job: OutgoingMessageJob, ownAppId?: string): ParsedAgentMessage {
  const event = job.event;
  const message = isObject(event.message) ? event.message : {};
  const direction = text(message.direction);
  if (direction !== undefined && direction !== 'OUTGOING') {
    return { kind: 'ignore', reason: `direction ${direction}` };
  }
  const client = isObject(message.client) ? message.client : {};
  if (
    text(client.clientType) === 'INTEGRATION' &&
    ownAppId !== undefined &&
    text(client.integrationAppId) === ownAppId
  ) {
    return { kind: 'ignore', reason: 'published by this gateway' };
  }
  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  const files: AgentFile[] = [];
  const otherAttachmentTypes: string[] = [];
  for (const attachment of attachments) {
    if (!isObject(attachment)) continue;
    const type = text(attachment.type) ?? 'UNKNOWN';
    if (type !== 'FILE') {
      otherAttachmentTypes.push(type);
      continue;
    }
    const usage = text(attachment.fileUsageType);
    files.push({
      ...optional('fileId', text(attachment.fileId)),
      ...optional('url', text(attachment.url)),
      ...optional('name', text(attachment.name)),
      usage: FILE_USAGE_TYPES.find((known) => known === usage) ?? 'OTHER',
    });
  }
  const threadIds = Array.isArray(event.channelIntegrationThreadIds)
    ? event.channelIntegrationThreadIds.map(text).filter((id) => id !== undefined)
    : [];
  return {
    kind: 'deliver',
    message: {
      messageId: job.messageId,
      portalId: job.portalId,
      channelId: job.channelId,
      ...optional('channelAccountId', job.channelAccountId ?? text(message.channelAccountId)),
      ...optional('conversationsThreadId', text(message.conversationsThreadId)),
      integrationThreadIds: threadIds,
      text: typeof message.text === 'string' ? message.text : '',
      ...optional('richText', text(message.richText)),
      files,
      otherAttachmentTypes,
      ...optional('inReplyToId', text(message.inReplyToId)),
      ...optional('agentName', firstParty(message.senders)?.name),
      ...optional('recipient', firstParty(message.recipients)?.identifier),
    },
  };
}

function firstParty(
  value: unknown,
): { name?: string; identifier?: DeliveryIdentifier } | undefined {
  if (!Array.isArray(value) || !isObject(value[0])) return undefined;
  const party = value[0];
  const identifier = isObject(party.deliveryIdentifier) ? party.deliveryIdentifier : undefined;
  const type = DELIVERY_IDENTIFIER_TYPES.find((known) => known === identifier?.type);
  const identifierValue = text(identifier?.value);
  return {
    ...optional('name', text(party.name)),
    ...optional(
      'identifier',
      type && identifierValue ? { type, value: identifierValue } : undefined,
    ),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids arrive as strings or numbers. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
