import { randomUUID } from 'node:crypto';
import { identifierTypesOf, threadingModelOf } from './capabilities';
import type { SimContext } from './context';
import { conflict, HubSpotError, notFound, validationError } from './errors';
import { emitOutgoingMessage } from './events';
import { createTicketForThread, pickOwner, resolveContact } from './helpdesk';
import { checkDeliveryIdentifier, normalizeIdentifier } from './identifiers';
import type {
  Channel,
  ChannelAccount,
  DeliveryIdentifier,
  Message,
  Participant,
  Thread,
  WebhookDelivery,
} from './types';

/** The publish body after OpenAPI validation (ChannelIntegrationMessageEgg). */
export interface PublishBody {
  channelAccountId: string;
  messageDirection: 'INCOMING' | 'OUTGOING';
  text: string;
  richText?: string;
  senders: { deliveryIdentifier: DeliveryIdentifier; name?: string; senderActorId?: string }[];
  recipients?: { deliveryIdentifier: DeliveryIdentifier; name?: string }[];
  timestamp?: string;
  integrationThreadId?: string;
  integrationIdempotencyId?: string;
  inReplyToId?: string;
  attachments?: Record<string, unknown>[];
  associateWithContactId?: number;
  preResolvedContacts?: { contacts: { contactVid: number }[] };
}

export interface PublishResult {
  message: Message;
  replayed: boolean;
}

/** 32 hex digits, as HubSpot's message ids; randomUUID draws from a cached entropy pool. */
const newMessageId = () => randomUUID().replace(/-/g, '');

export function accountFor(
  ctx: SimContext,
  portalId: string,
  channelId: string,
  accountId: string,
): ChannelAccount {
  const a = ctx.state.channelAccounts.get(accountId);
  if (!a || a.portalId !== portalId || a.channelId !== channelId) {
    throw notFound(`Channel account ${accountId} does not exist for channel ${channelId}`);
  }
  return a;
}

export function channelFor(ctx: SimContext, channelId: string): Channel {
  const c = ctx.state.channels.get(channelId);
  if (!c || c.archived) throw notFound(`Channel ${channelId} does not exist`);
  return c;
}

function threadKey(
  account: ChannelAccount,
  model: string,
  body: PublishBody,
  customer: DeliveryIdentifier,
): string {
  if (model === 'INTEGRATION_THREAD_ID')
    return `${account.id}|itid|${body.integrationThreadId ?? ''}`;
  return `${account.id}|di|${customer.type}:${normalizeIdentifier(customer)}`;
}

function checkAttachments(
  ctx: SimContext,
  portalId: string,
  attachments: Record<string, unknown>[],
): void {
  attachments.forEach((a, i) => {
    if (a.type !== 'FILE') return;
    const f = ctx.state.files.get(String(a.fileId));
    if (!f || f.portalId !== portalId || f.archived) {
      throw validationError(`File ${String(a.fileId)} does not exist`, [
        {
          message: `attachments[${i}].fileId does not reference an uploaded file`,
          in: `attachments[${i}].fileId`,
        },
      ]);
    }
  });
}

/**
 * Publish (spec 6): idempotency, identifier validation, threading by the channel's model,
 * contact resolution, and for help-desk accounts a ticket per new thread with routing applied.
 */
export function publishMessage(
  ctx: SimContext,
  portalId: string,
  scopes: string[],
  channelId: string,
  body: PublishBody,
): PublishResult {
  const channel = channelFor(ctx, channelId);
  const account = accountFor(ctx, portalId, channelId, body.channelAccountId);
  if (account.archived) throw notFound(`Channel account ${account.id} is archived`);
  if (!account.authorized) {
    // Real code UNCLEAR (spec checklist): 400.
    throw validationError(
      `Channel account ${account.id} is not authorized; messages cannot be published`,
    );
  }
  const idemKey = body.integrationIdempotencyId
    ? `${channelId}|${account.id}|${body.integrationIdempotencyId}`
    : undefined;
  if (idemKey) {
    const existing = ctx.state.idempotency.get(idemKey);
    const original = existing ? ctx.state.messages.get(existing) : undefined;
    if (original) {
      if (ctx.options.idempotencyReplay === 'CONFLICT_409') {
        throw conflict(
          `A message with integrationIdempotencyId ${body.integrationIdempotencyId} already exists`,
        );
      }
      return { message: original, replayed: true };
    }
  }
  const allowed = identifierTypesOf(channel.capabilities);
  body.senders.forEach((s, i) =>
    checkDeliveryIdentifier(s.deliveryIdentifier, allowed, `senders[${i}].deliveryIdentifier`),
  );
  (body.recipients ?? []).forEach((r, i) =>
    checkDeliveryIdentifier(r.deliveryIdentifier, allowed, `recipients[${i}].deliveryIdentifier`),
  );
  const attachments = body.attachments ?? [];
  checkAttachments(ctx, portalId, attachments);
  const incoming = body.messageDirection === 'INCOMING';
  const customerParticipant = incoming ? body.senders[0] : (body.recipients ?? [])[0];
  if (!customerParticipant) {
    throw validationError('OUTGOING messages need at least one recipient', [
      { message: 'recipients must not be empty', in: 'recipients' },
    ]);
  }
  const model = threadingModelOf(channel.capabilities);
  if (model === 'INTEGRATION_THREAD_ID' && !body.integrationThreadId) {
    throw validationError(
      'integrationThreadId is required for channels whose threadingModel is INTEGRATION_THREAD_ID',
      [{ message: 'integrationThreadId is required', in: 'integrationThreadId' }],
    );
  }
  const customer = customerParticipant.deliveryIdentifier;
  const key = threadKey(account, model, body, customer);
  let thread = lookupThread(ctx, key);
  if (thread && thread.status === 'CLOSED' && ctx.options.closedThreadBehavior === 'REOPEN') {
    thread.status = 'OPEN';
    thread.closedAt = undefined;
  } else if (thread && thread.status === 'CLOSED') {
    thread = undefined; // NEW_THREAD (default): a closed conversation is not resumed.
  }
  if (!thread) {
    thread = openThread(ctx, account, body, customerParticipant, model, scopes);
    ctx.state.threadKeys.set(key, thread.id);
  }
  const now = new Date().toISOString();
  const contactActor = `V-${thread.associatedContactId}`;
  const message: Message = {
    id: newMessageId(),
    type: 'MESSAGE',
    portalId,
    conversationsThreadId: thread.id,
    channelId,
    channelAccountId: account.id,
    direction: body.messageDirection,
    text: body.text,
    ...(body.richText !== undefined ? { richText: body.richText } : {}),
    senders: body.senders.map((s, i) => ({
      ...(incoming && i === 0 ? { actorId: contactActor } : {}),
      ...(!incoming && s.senderActorId ? { actorId: s.senderActorId } : {}),
      ...(s.name !== undefined ? { name: s.name } : {}),
      deliveryIdentifier: s.deliveryIdentifier,
    })),
    recipients: (body.recipients ?? []).map((r, i) => ({
      ...(!incoming && i === 0 ? { actorId: contactActor } : {}),
      ...(r.name !== undefined ? { name: r.name } : {}),
      deliveryIdentifier: r.deliveryIdentifier,
    })),
    attachments: attachments.map((a) => (a.type === 'FILE' ? { fileUsageType: 'OTHER', ...a } : a)),
    createdAt: body.timestamp ?? now,
    createdBy: incoming ? contactActor : `I-${ctx.options.appId}`,
    client: { clientType: 'INTEGRATION', integrationAppId: ctx.options.appId },
    truncationStatus: 'NOT_TRUNCATED',
    ...(body.inReplyToId ? { inReplyToId: body.inReplyToId } : {}),
    archived: false,
    status: { statusType: incoming ? 'RECEIVED' : 'SENT' },
    statusHistory: [],
    integrationIdempotencyId: body.integrationIdempotencyId,
    origin: 'INTEGRATION',
  };
  if (message.status) message.statusHistory.push({ at: now, status: message.status });
  if (idemKey) ctx.state.idempotency.set(idemKey, message.id);
  touchThread(thread, message);
  ctx.state.storePublished(message);
  return { message, replayed: false };
}

function lookupThread(ctx: SimContext, key: string): Thread | undefined {
  const id = ctx.state.threadKeys.get(key);
  const t = id ? ctx.state.threads.get(id) : undefined;
  return t && !t.archived ? t : undefined;
}

function openThread(
  ctx: SimContext,
  account: ChannelAccount,
  body: PublishBody,
  customer: Participant & { deliveryIdentifier: DeliveryIdentifier },
  model: string,
  scopes: string[],
): Thread {
  const portalId = account.portalId;
  const contact = resolveContact(ctx, portalId, {
    associateWithContactId: body.associateWithContactId,
    preResolvedContactId: body.preResolvedContacts?.contacts[0]?.contactVid,
    identifier: customer.deliveryIdentifier,
    name: customer.name,
    mayCreate: scopes.includes('crm.objects.contacts.write'),
  });
  const thread: Thread = {
    id: ctx.state.nextId('thread', 9_000_000),
    portalId,
    inboxId: account.inboxId,
    channelId: account.channelId,
    channelAccountId: account.id,
    status: 'OPEN',
    spam: false,
    archived: false,
    // Without a contact HubSpot exposes a visitor id here (spec 10.1).
    associatedContactId: contact?.id ?? ctx.state.nextId('visitor', 80_000_000),
    contactId: contact?.id,
    integrationThreadId: model === 'INTEGRATION_THREAD_ID' ? body.integrationThreadId : undefined,
    customerIdentifier: customer.deliveryIdentifier,
    customerName: customer.name,
    createdAt: new Date().toISOString(),
  };
  ctx.state.threads.set(thread.id, thread);
  const owner = pickOwner(ctx, account, contact);
  if (owner) thread.assignedTo = `A-${owner.userId}`;
  const inbox = ctx.state.inboxes.get(account.inboxId);
  if (inbox?.type === 'HELP_DESK') createTicketForThread(ctx, account, thread, body.text, owner);
  return thread;
}

function touchThread(thread: Thread, message: Message): void {
  thread.latestMessageTimestamp = message.createdAt;
  if (message.direction === 'INCOMING') thread.latestMessageReceivedTimestamp = message.createdAt;
  else thread.latestMessageSentTimestamp = message.createdAt;
}

export interface AgentReplyInput {
  text: string;
  richText?: string;
  /** Ids of files stored in the simulator (upload them first, or via the control API). */
  fileIds?: string[];
  inReplyToId?: string;
  /** HubSpot user id of the replying agent (defaults to the thread's assignee or first owner). */
  userId?: number;
  /**
   * `fileUsageType` of some of the files, by file id (e.g. VOICE_RECORDING for a recorded voice
   * message). Others get it from their content type: IMAGE, AUDIO or OTHER.
   */
  fileUsageTypes?: Record<string, FileUsageType>;
}

export const FILE_USAGE_TYPES = ['AUDIO', 'IMAGE', 'OTHER', 'STICKER', 'VOICE_RECORDING'] as const;
export type FileUsageType = (typeof FILE_USAGE_TYPES)[number];

function defaultFileUsageType(contentType: string): FileUsageType {
  if (contentType.startsWith('image/')) return 'IMAGE';
  if (contentType.startsWith('audio/')) return 'AUDIO';
  return 'OTHER';
}

/**
 * An agent replies in HubSpot: store the OUTGOING message (status unset until the integration
 * PATCHes SENT/FAILED/READ) and deliver OUTGOING_CHANNEL_MESSAGE_CREATED to the webhookUrl.
 */
export function agentReply(
  ctx: SimContext,
  threadId: string,
  input: AgentReplyInput,
): { message: Message; delivery: WebhookDelivery } {
  const thread = ctx.state.threads.get(threadId);
  if (!thread) throw notFound(`Thread ${threadId} does not exist`);
  const channel = channelFor(ctx, thread.channelId);
  const account = ctx.state.channelAccounts.get(thread.channelAccountId);
  if (!account || !account.authorized || account.archived) {
    throw validationError(
      `Channel account ${thread.channelAccountId} is disconnected; agents cannot reply`,
    );
  }
  if (channel.capabilities.allowOutgoingMessages === false) {
    throw validationError(
      'This channel does not allow outgoing messages (allowOutgoingMessages=false)',
    );
  }
  if (thread.status === 'CLOSED') {
    throw new HubSpotError(400, 'VALIDATION_ERROR', `Thread ${thread.id} is closed`);
  }
  const fileIds = input.fileIds ?? [];
  const caps = channel.capabilities;
  const files = fileIds.map((id) => {
    const f = ctx.state.files.get(id);
    if (!f || f.portalId !== thread.portalId) throw validationError(`File ${id} does not exist`);
    return f;
  });
  if (files.length > 0) {
    const types = Array.isArray(caps.outgoingAttachmentTypes) ? caps.outgoingAttachmentTypes : [];
    if (!types.includes('FILE'))
      throw validationError('This channel does not accept outgoing FILE attachments');
    const max =
      typeof caps.maxFileAttachmentCount === 'number' ? caps.maxFileAttachmentCount : Infinity;
    if (files.length > max) throw validationError(`At most ${max} attachments are allowed`);
    const maxSize =
      typeof caps.maxFileAttachmentSizeBytes === 'number'
        ? caps.maxFileAttachmentSizeBytes
        : Infinity;
    const mimes = Array.isArray(caps.allowedFileAttachmentMimeTypes)
      ? caps.allowedFileAttachmentMimeTypes.map(String)
      : [];
    for (const f of files) {
      if (f.size > maxSize) throw validationError(`File ${f.id} is larger than ${maxSize} bytes`);
      const ok =
        mimes.length === 0 ||
        mimes.some(
          (m) =>
            m === f.contentType || (m.endsWith('/*') && f.contentType.startsWith(m.slice(0, -1))),
        );
      if (!ok) throw validationError(`File type ${f.contentType} is not allowed on this channel`);
    }
  }
  const owners = ctx.state.ownersOf(thread.portalId);
  const assignee = thread.assignedTo ? Number(thread.assignedTo.slice(2)) : undefined;
  const userId = input.userId ?? assignee ?? owners[0]?.userId ?? 1;
  const agent = owners.find((o) => o.userId === userId);
  const now = new Date().toISOString();
  const message: Message = {
    id: newMessageId(),
    type: 'MESSAGE',
    portalId: thread.portalId,
    conversationsThreadId: thread.id,
    channelId: thread.channelId,
    channelAccountId: thread.channelAccountId,
    direction: 'OUTGOING',
    text: input.text,
    ...(input.richText !== undefined ? { richText: input.richText } : {}),
    senders: [
      {
        actorId: `A-${userId}`,
        ...(agent ? { name: `${agent.firstName} ${agent.lastName}` } : {}),
        ...(account.deliveryIdentifier ? { deliveryIdentifier: account.deliveryIdentifier } : {}),
      },
    ],
    recipients: [
      {
        actorId: `V-${thread.associatedContactId}`,
        ...(thread.customerName ? { name: thread.customerName } : {}),
        deliveryIdentifier: thread.customerIdentifier,
      },
    ],
    attachments: files.map((f) => ({
      type: 'FILE',
      fileId: f.id,
      fileUsageType: input.fileUsageTypes?.[f.id] ?? defaultFileUsageType(f.contentType),
      name: `${f.name}${f.extension ? `.${f.extension}` : ''}`,
      url: `${ctx.baseUrl}/__sim/hubfs/${f.portalId}/${f.id}/${encodeURIComponent(`${f.name}${f.extension ? `.${f.extension}` : ''}`)}`,
    })),
    createdAt: now,
    createdBy: `A-${userId}`,
    client: { clientType: 'HUBSPOT' },
    truncationStatus: 'NOT_TRUNCATED',
    ...(input.inReplyToId ? { inReplyToId: input.inReplyToId } : {}),
    archived: false,
    statusHistory: [],
    origin: 'AGENT',
  };
  ctx.state.messages.set(message.id, message);
  touchThread(thread, message);
  const delivery = emitOutgoingMessage(ctx, thread, message);
  return { message, delivery };
}
