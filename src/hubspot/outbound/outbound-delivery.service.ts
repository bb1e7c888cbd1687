import { Inject, Injectable } from '@nestjs/common';
import { PermanentError, reasonOf, RetryableError, type SendResult } from '../../core/adapter';
import { GATEWAY_CONFIG } from '../../core/config/config.tokens';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { MetricsService } from '../../core/observability/metrics.service';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import type { StoredMessage } from '../../core/persistence/models/message.model';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';
import type { JobContext } from '../../core/queue/job-queue';
import { AccountDirectory } from '../../core/plugins/account-directory';
import { AdapterSupervisor } from '../../core/plugins/adapter-supervisor';
import type { OutgoingMessageJob } from '../webhook/hubspot-event';
import { type AgentMessage, parseAgentMessage } from './agent-message';
import { DeliveryTargetResolver } from './delivery-target.resolver';
import { type HubSpotMessageRef, HubSpotStatusReporter } from './hubspot-status-reporter';
import { OutboundMessageBuilder } from './outbound-message-builder';

/**
 * One agent reply from `hubspot-outgoing` to the platform, and its status back to HubSpot.
 *
 * Never sends twice: the reply is recorded under its HubSpot message id first, and a run that
 * finds it SENT or READ (a redelivery, or a retry after the status PATCH failed) only reports the
 * status again. Adapters also dedupe on the idempotency key (the HubSpot message id), which covers
 * a crash between the platform's answer and `markSent`.
 *
 * Failures: a PermanentError marks the reply FAILED with its reason and ends the job; anything
 * else is rethrown for the queue to retry, and on the last attempt the reply is first marked
 * FAILED ("could not deliver after N attempts: ...") so the agent knows, then dead-lettered so an
 * operator can replay it (a successful replay moves FAILED to SENT).
 */
@Injectable()
export class OutboundDeliveryService {
  private readonly appId?: string;

  constructor(
    private readonly targets: DeliveryTargetResolver,
    private readonly builder: OutboundMessageBuilder,
    private readonly messages: MessageRepository,
    private readonly conversations: ConversationRepository,
    private readonly reporter: HubSpotStatusReporter,
    private readonly supervisor: AdapterSupervisor,
    private readonly directory: AccountDirectory,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {
    this.appId = config.HUBSPOT_APP_ID;
  }

  async deliver(job: OutgoingMessageJob, context: JobContext): Promise<void> {
    const parsed = parseAgentMessage(job, this.appId);
    if (parsed.kind === 'ignore') {
      this.logger.debug(
        { hubspotMessage: job.messageId, reason: parsed.reason },
        'HubSpot message not delivered',
      );
      return;
    }
    const agent = parsed.message;
    const hubspot: HubSpotMessageRef = {
      portalId: job.portalId,
      channelId: job.channelId,
      messageId: job.messageId,
    };
    const target = await this.targets.resolve(agent);
    if (target.kind === 'unknown-account') {
      this.logger.warn(
        { hubspotMessage: agent.messageId, hubspotAccount: agent.channelAccountId },
        'agent message for a channel account this gateway does not know; dropped',
      );
      return;
    }
    const stored = target.conversation
      ? await this.record(target.account, target.conversation, agent)
      : undefined;
    if (stored && (stored.status === 'SENT' || stored.status === 'READ')) {
      // Already on the platform: make sure HubSpot knows, never send again.
      await this.reporter.report(hubspot, stored.status);
      return;
    }
    if (target.kind === 'refused') {
      this.logger.warn(
        { account: target.account.id, hubspotMessage: agent.messageId, reason: target.reason },
        'agent message refused',
      );
      this.metrics.countAdapterEvent(target.account.adapterId, 'outbound', 'failed');
      await this.fail(stored, hubspot, target.reason);
      return;
    }
    // `stored` exists: a deliverable target always has a conversation.
    if (!stored) throw new Error('unreachable: no stored message for a deliverable target');
    await this.send(target.account, target.conversation, agent, stored, hubspot, context);
  }

  private async send(
    account: ChannelAccount,
    conversation: Conversation,
    agent: AgentMessage,
    stored: StoredMessage,
    hubspot: HubSpotMessageRef,
    context: JobContext,
  ): Promise<void> {
    let result: SendResult;
    try {
      result = await this.sendOnPlatform(account, conversation, agent, context);
    } catch (error) {
      await this.onSendError(account, stored, hubspot, error, context);
      return;
    }
    await this.messages.markSent(stored.id, result.externalMessageIds);
    await this.conversations.touch(conversation.id, new Date(), 'OUTGOING');
    this.metrics.countAdapterEvent(account.adapterId, 'outbound', 'sent');
    this.logger.info(
      {
        account: account.id,
        hubspotMessage: agent.messageId,
        externalMessageIds: result.externalMessageIds,
        pendingDeliveryStatus: result.pendingDeliveryStatus === true,
      },
      'agent message sent',
    );
    // A failing PATCH is retried by the queue; the retry finds SENT and only reports.
    if (!result.pendingDeliveryStatus) await this.reporter.report(hubspot, 'SENT');
  }

  private async sendOnPlatform(
    account: ChannelAccount,
    conversation: Conversation,
    agent: AgentMessage,
    context: JobContext,
  ): Promise<SendResult> {
    const adapter = this.supervisor.getAdapter(account.adapterId);
    if (!adapter) {
      // A disabled or crashed plugin is an operator's problem: retry, never lose the reply.
      throw new RetryableError(`the ${account.adapterId} plugin is not running in this gateway`);
    }
    const receiving = await this.directory.findReceivingAccount(account.id);
    if (!receiving) throw new RetryableError('the channel account is not active right now');
    if (agent.otherAttachmentTypes.length > 0) {
      this.logger.warn(
        { hubspotMessage: agent.messageId, types: agent.otherAttachmentTypes },
        'attachments without a file are not sent',
      );
    }
    const message = await this.builder.build(agent, conversation, adapter.manifest, context.signal);
    return adapter.send(this.supervisor.contextForSending(receiving), message);
  }

  private async onSendError(
    account: ChannelAccount,
    stored: StoredMessage,
    hubspot: HubSpotMessageRef,
    error: unknown,
    context: JobContext,
  ): Promise<void> {
    const fields = { account: account.id, hubspotMessage: hubspot.messageId, err: error };
    if (error instanceof PermanentError) {
      this.logger.warn({ ...fields, reason: error.reason }, 'agent message failed');
      this.metrics.countAdapterEvent(account.adapterId, 'outbound', 'failed');
      await this.fail(stored, hubspot, error.reason);
      return;
    }
    if (context.attempt < context.maxAttempts) {
      this.logger.info(
        { ...fields, attempt: context.attempt, maxAttempts: context.maxAttempts },
        'agent message not sent yet; will retry',
      );
      this.metrics.countAdapterEvent(account.adapterId, 'outbound', 'retry');
      throw error;
    }
    const reason = `could not deliver after ${context.attempt} attempts: ${reasonOf(error)}`;
    this.logger.error({ ...fields, reason }, 'agent message failed; dead-lettered');
    this.metrics.countAdapterEvent(account.adapterId, 'outbound', 'failed');
    try {
      await this.fail(stored, hubspot, reason);
    } catch (reportError) {
      this.logger.warn(
        { hubspotMessage: hubspot.messageId, err: reportError },
        'could not report FAILED to HubSpot',
      );
    }
    throw error;
  }

  private async record(
    account: ChannelAccount,
    conversation: Conversation,
    agent: AgentMessage,
  ): Promise<StoredMessage> {
    const { message } = await this.messages.recordOutbound({
      accountId: account.id,
      conversationId: conversation.id,
      idempotencyKey: agent.messageId,
      hubspotMessageId: agent.messageId,
      ...(agent.conversationsThreadId !== undefined && {
        hubspotThreadId: agent.conversationsThreadId,
      }),
    });
    return message;
  }

  /** FAILED locally (unless the customer read it meanwhile) and in HubSpot. */
  private async fail(
    stored: StoredMessage | undefined,
    hubspot: HubSpotMessageRef,
    reason: string,
  ): Promise<void> {
    if (stored && !(await this.messages.markFailed(stored.id, reason))) return;
    await this.reporter.report(hubspot, 'FAILED', reason);
  }
}
