import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { HubSpotClient } from '../client/hubspot-client';
import { resolveHubSpotClient } from './resolve-hubspot-client';

/** The statuses an integration may set on an agent's message (spec 9). */
export type ReportedStatus = 'SENT' | 'FAILED' | 'READ';

/** Where an agent's message lives in HubSpot. */
export interface HubSpotMessageRef {
  portalId: string;
  channelId: string;
  messageId: string;
}

/** HubSpot shows `errorMessage` to the agent: keep it to a readable length. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * Tells HubSpot what became of an agent's message: `PATCH .../messages/{id}` with SENT, FAILED
 * (and a human-readable `errorMessage`) or READ. Errors propagate typed (retryable or not), so
 * the caller's queue decides about retries.
 */
@Injectable()
export class HubSpotStatusReporter implements OnModuleInit {
  private client?: HubSpotClient;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onModuleInit(): void {
    this.client = resolveHubSpotClient(this.moduleRef);
  }

  async report(
    target: HubSpotMessageRef,
    status: ReportedStatus,
    errorMessage?: string,
  ): Promise<void> {
    if (!this.client) throw new Error('HubSpotStatusReporter used before module init');
    await this.client
      .forPortal(target.portalId)
      .messages.updateStatus(target.channelId, target.messageId, {
        statusType: status,
        ...(status === 'FAILED' && { errorMessage: readableError(errorMessage) }),
      });
    this.logger.debug(
      { portal: target.portalId, hubspotMessage: target.messageId, status },
      'message status reported to HubSpot',
    );
  }
}

/** A non-empty, single-spaced reason no longer than HubSpot should show. */
export function readableError(reason: string | undefined): string {
  const text = (reason ?? '').replace(/\s+/g, ' ').trim() || 'delivery failed';
  if (text.length <= MAX_ERROR_MESSAGE_LENGTH) return text;
  return `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}
