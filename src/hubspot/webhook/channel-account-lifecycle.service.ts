import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PermanentError } from '../../core/adapter/errors';
import { DELIVERY_IDENTIFIER_TYPES } from '../../core/adapter/manifest';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../core/persistence/repositories/channel-account.repository';
import { AccountDirectory } from '../../core/plugins/account-directory';
import { AdapterSupervisor } from '../../core/plugins/adapter-supervisor';
import type { ChannelAccount as RemoteAccount } from '../client/channel-accounts.api';
import { HubSpotApiError } from '../client/errors';
import { HubSpotClient } from '../client/hubspot-client';
import { findPendingAccount } from '../connect/pending-connections';
import type { AccountEventJob } from './hubspot-event';

/**
 * Applies HubSpot's channel-account events (spec 7.3) to the gateway's accounts. Never trusts
 * the event body: the account is re-read from HubSpot, so replays and reordering are harmless.
 */
@Injectable()
export class ChannelAccountLifecycleService implements OnModuleInit {
  private client?: HubSpotClient;

  constructor(
    private readonly accounts: ChannelAccountRepository,
    private readonly directory: AccountDirectory,
    private readonly supervisor: AdapterSupervisor,
    private readonly moduleRef: ModuleRef,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onModuleInit(): void {
    try {
      this.client = this.moduleRef.get(HubSpotClient, { strict: false });
    } catch (error) {
      throw new Error('HubSpotWebhookModule needs HubSpotClientModule in the application', {
        cause: error,
      });
    }
  }

  async handle(job: AccountEventJob): Promise<void> {
    const local = await this.accounts.findByHubSpotId(job.channelAccountId);
    if (job.type === 'CHANNEL_ACCOUNT_PURGED') {
      if (local) await this.remove(local, 'purged in HubSpot');
      return;
    }
    const remote = await this.fetchRemote(job);
    if (job.type === 'CHANNEL_ACCOUNT_CREATED' && !local) {
      if (remote && !remote.archived) await this.connect(job, remote);
      else this.logger.warn({ hubspotAccount: job.channelAccountId }, 'created account is gone');
      return;
    }
    if (!local) {
      this.logger.warn(
        { hubspotAccount: job.channelAccountId, event: job.type },
        'HubSpot account event for an account the gateway does not know; ignored',
      );
      return;
    }
    if (local.status === 'deleted') return;
    if (!remote || remote.archived) {
      await this.remove(local, remote ? 'archived in HubSpot' : 'no longer found in HubSpot');
      return;
    }
    await this.sync(local, remote);
  }

  /** CHANNEL_ACCOUNT_CREATED: binds the pending account the popup stored, then receives. */
  private async connect(job: AccountEventJob, remote: RemoteAccount): Promise<void> {
    const identifier = remote.deliveryIdentifier;
    const type = DELIVERY_IDENTIFIER_TYPES.find((known) => known === identifier?.type);
    const pending =
      identifier && type
        ? await findPendingAccount(this.accounts, {
            portalId: job.portalId,
            channelId: job.channelId,
            deliveryIdentifier: { type, value: identifier.value },
          })
        : undefined;
    if (!pending) {
      this.logger.warn(
        { portal: job.portalId, channel: job.channelId, hubspotAccount: remote.id },
        'CHANNEL_ACCOUNT_CREATED without a pending connection from the popup; ignored',
      );
      return;
    }
    await this.accounts.bindHubSpotAccount(pending.id, {
      portalId: job.portalId,
      hubspotChannelId: job.channelId,
      hubspotChannelAccountId: remote.id,
      inboxId: remote.inboxId,
      authorized: remote.authorized,
    });
    if (remote.name && remote.name !== pending.name)
      await this.accounts.rename(pending.id, remote.name);
    await this.accounts.setStatus(pending.id, 'active');
    this.logger.info(
      { account: pending.id, hubspotAccount: remote.id, authorized: remote.authorized },
      'channel account connected to HubSpot',
    );
    await this.startReceiving(pending.id);
  }

  /** CHANNEL_ACCOUNT_UPDATED: name and authorization follow HubSpot. */
  private async sync(local: ChannelAccount, remote: RemoteAccount): Promise<void> {
    if (remote.name && remote.name !== local.name) {
      await this.accounts.rename(local.id, remote.name);
      this.logger.info({ account: local.id, name: remote.name }, 'channel account renamed');
    }
    if (remote.authorized === local.authorized) return;
    await this.accounts.setAuthorized(local.id, remote.authorized);
    if (remote.authorized) {
      this.logger.info({ account: local.id }, 'channel account re-authorized in HubSpot');
      await this.startReceiving(local.id);
    } else {
      this.logger.info({ account: local.id }, 'channel account deactivated in HubSpot');
      await this.supervisor.stopAccount(local.id);
    }
  }

  private async remove(local: ChannelAccount, why: string): Promise<void> {
    if (local.status === 'deleted') return;
    // Deleted first: the supervisor's reconciliation must not pick the account up again while
    // it is being stopped (adapters clean up with the context they got at start).
    await this.accounts.markDeleted(local.id);
    await this.supervisor.stopAccount(local.id);
    this.logger.info({ account: local.id, why }, 'channel account deleted, credentials erased');
  }

  private async startReceiving(accountId: string): Promise<void> {
    const receiving = await this.directory.findReceivingAccount(accountId);
    if (receiving) await this.supervisor.startAccount(receiving);
  }

  /** The account as HubSpot has it; undefined when HubSpot answers 404 (archived or gone). */
  private async fetchRemote(job: AccountEventJob): Promise<RemoteAccount | undefined> {
    if (!this.client) throw new PermanentError('HubSpotClient is not available');
    try {
      return await this.client
        .forPortal(job.portalId)
        .channelAccounts.get(job.channelId, job.channelAccountId);
    } catch (error) {
      if (error instanceof HubSpotApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}
