import { Injectable } from '@nestjs/common';
import { type AdapterManifest, type OutboundMessage, PermanentError } from '../../core/adapter';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';
import { AgentAttachmentSource } from './agent-attachment-source';
import type { AgentMessage } from './agent-message';
import { checkAttachmentCount, checkAttachments } from './attachment-policy';
import { renderAgentText } from '../rich-text';

/**
 * Builds what an adapter sends from an agent's message: text in the formatting the adapter
 * declared, attachments it can send (else a PermanentError naming why), and the platform id of
 * the message the agent replied to.
 */
@Injectable()
export class OutboundMessageBuilder {
  constructor(
    private readonly attachments: AgentAttachmentSource,
    private readonly messages: MessageRepository,
  ) {}

  async build(
    agent: AgentMessage,
    conversation: Conversation,
    manifest: AdapterManifest,
    signal?: AbortSignal,
  ): Promise<OutboundMessage> {
    const outbound = manifest.outbound;
    checkAttachmentCount(agent.files.length, outbound, manifest.displayName);
    const attachments = await this.attachments.prepare(agent.portalId, agent.files, {
      maxBytes: outbound.maxAttachmentSizeBytes,
      signal,
    });
    checkAttachments(attachments, outbound, manifest.displayName);
    const rendered = renderAgentText(
      { text: agent.text, ...(agent.richText !== undefined && { richText: agent.richText }) },
      outbound,
    );
    if (rendered.text.trim() === '' && attachments.length === 0) {
      throw new PermanentError('the message has no text and no attachment to send');
    }
    const inReplyToExternalId = outbound.replies
      ? await this.replyTarget(agent.inReplyToId, conversation)
      : undefined;
    return {
      idempotencyKey: agent.messageId,
      conversation: {
        externalId: conversation.externalId,
        ...(conversation.title !== undefined && { title: conversation.title }),
        isGroup: conversation.isGroup,
      },
      ...(agent.recipient !== undefined && { recipient: agent.recipient }),
      text: rendered.text,
      ...(outbound.formatting === 'html' && rendered.html !== undefined && { html: rendered.html }),
      attachments,
      ...(inReplyToExternalId !== undefined && { inReplyToExternalId }),
      ...(agent.agentName !== undefined && { agentName: agent.agentName }),
    };
  }

  /** The platform id of the replied-to message, when it belongs to this conversation. */
  private async replyTarget(
    inReplyToId: string | undefined,
    conversation: Conversation,
  ): Promise<string | undefined> {
    if (inReplyToId === undefined) return undefined;
    const original = await this.messages.findByHubSpotId(inReplyToId);
    if (!original || original.conversationId !== conversation.id) return undefined;
    return original.externalMessageIds[0];
  }
}
