import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type {
  AccountIdentity,
  ChannelAdapter,
  Credentials,
} from '../../core/adapter/channel-adapter';
import { GATEWAY_CONFIG } from '../../core/config/config.tokens';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { SecretCipher } from '../../core/crypto/secret-cipher';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import { AccountStateRepository } from '../../core/persistence/repositories/account-state.repository';
import { ChannelAccountRepository } from '../../core/persistence/repositories/channel-account.repository';
import { ChannelRegistrationRepository } from '../../core/persistence/repositories/channel-registration.repository';
import { InstallRepository } from '../../core/persistence/repositories/install.repository';
import { AdapterSupervisor } from '../../core/plugins/adapter-supervisor';
import { HubSpotApiError } from '../client/errors';
import { HubSpotClient } from '../client/hubspot-client';
import { ConnectHubSpotError, ConnectRequestError } from './connect-errors';
import { type ConnectFlow, ConnectFormTokens } from './connect-form-token';
import { parseConnectQuery } from './connect-query';
import { CONNECT_STATE_KEY, type PendingConnection } from './pending-connections';

/**
 * The connection popup's work (spec 4.3): checks the link HubSpot opened, resolves the portal,
 * stores the account as `pending` with encrypted credentials, and PATCHes HubSpot's staging token.
 */
@Injectable()
export class ConnectService implements OnModuleInit {
  readonly formTokens: ConnectFormTokens;
  private client?: HubSpotClient;

  constructor(
    private readonly supervisor: AdapterSupervisor,
    private readonly accounts: ChannelAccountRepository,
    private readonly states: AccountStateRepository,
    private readonly registrations: ChannelRegistrationRepository,
    private readonly installs: InstallRepository,
    private readonly moduleRef: ModuleRef,
    cipher: SecretCipher,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {
    this.formTokens = new ConnectFormTokens(cipher);
  }

  /** Fails the start-up when HubSpotClientModule is missing, rather than the first connection. */
  onModuleInit(): void {
    try {
      this.client = this.moduleRef.get(HubSpotClient, { strict: false });
    } catch (error) {
      throw new Error('HubSpotConnectModule needs HubSpotClientModule in the application', {
        cause: error,
      });
    }
  }

  /** The running adapter; an unknown or failed one is a 400 page. */
  adapter(adapterId: string): ChannelAdapter {
    const adapter = /^[a-z0-9_-]{1,64}$/.test(adapterId)
      ? this.supervisor.getAdapter(adapterId)
      : undefined;
    if (!adapter) {
      throw new ConnectRequestError(
        400,
        'Unknown channel',
        `The gateway has no running messenger called "${adapterId}".`,
      );
    }
    return adapter;
  }

  /** Validates HubSpot's query for this adapter and resolves the portal. */
  async openFlow(adapterId: string, query: Record<string, unknown>): Promise<ConnectFlow> {
    const parsed = parseConnectQuery(query, this.config.HUBSPOT_API_BASE_URL);
    const registration = await this.registrations.findByAdapter(adapterId);
    if (!registration || registration.hubspotChannelId !== parsed.channelId) {
      throw new ConnectRequestError(
        400,
        'Invalid connection link',
        `HubSpot channel ${parsed.channelId} is not the channel of this messenger.`,
      );
    }
    const portalId = await this.resolvePortal(parsed.portalId);
    return {
      adapterId,
      accountToken: parsed.accountToken,
      channelId: parsed.channelId,
      redirectUrl: parsed.redirectUrl,
      portalId,
    };
  }

  /**
   * Portal rule: the `portalId` query parameter when HubSpot sends one (it must be an active
   * install); otherwise the only active install. Channels are app-wide (spec 3.1), so the
   * registration cannot tell; with several installs and no `portalId` the popup refuses.
   */
  private async resolvePortal(requested?: string): Promise<string> {
    const active = (await this.installs.list()).filter((install) => install.status === 'active');
    if (requested !== undefined) {
      if (active.some((install) => install.portalId === requested)) return requested;
      throw new ConnectRequestError(
        400,
        'App not installed',
        `HubSpot account ${requested} has not installed the app (or must re-install it).`,
      );
    }
    if (active.length === 1) return active[0].portalId;
    throw new ConnectRequestError(
      400,
      active.length === 0 ? 'App not installed' : 'HubSpot account unknown',
      active.length === 0
        ? 'No HubSpot account has installed the app yet; install it first.'
        : 'Several HubSpot accounts installed the app and HubSpot did not say which one is connecting.',
    );
  }

  /**
   * Stores the checked account as `pending` and completes HubSpot's side. On a HubSpot error the
   * pending account is soft-deleted (credentials erased) and ConnectHubSpotError is thrown. A
   * second submission of an already completed token returns the first account (no new PATCH).
   */
  async complete(
    flow: ConnectFlow,
    identity: AccountIdentity,
    entered: Credentials,
  ): Promise<ChannelAccount> {
    const done = await this.alreadyCompleted(flow, identity);
    if (done) return done;
    const account = await this.storePending(flow, identity, entered);
    try {
      const staging = await this.hubspot()
        .forPortal(flow.portalId)
        .channelAccounts.updateStagingToken(flow.channelId, flow.accountToken, {
          accountName: identity.displayName,
          deliveryIdentifier: identity.deliveryIdentifier,
        });
      await this.remember(account.id, flow, {
        inboxId: String(staging.inboxId),
        userId: String(staging.userId),
        stagingTokenUpdatedAt: new Date().toISOString(),
      });
      return account;
    } catch (error) {
      await this.abandon(account.id);
      this.logger.warn(
        { adapter: flow.adapterId, account: account.id, portal: flow.portalId, err: error },
        'HubSpot refused the staging token update',
      );
      if (error instanceof HubSpotApiError) {
        throw new ConnectHubSpotError(`HubSpot: ${error.hubspotMessage}`, error.correlationId);
      }
      const correlationId =
        error instanceof Error &&
        'correlationId' in error &&
        typeof error.correlationId === 'string'
          ? error.correlationId
          : undefined;
      throw new ConnectHubSpotError('HubSpot could not be reached; try again.', correlationId);
    }
  }

  /** A new pending account with encrypted credentials and the staging token in its state. */
  private async storePending(
    flow: ConnectFlow,
    identity: AccountIdentity,
    entered: Credentials,
  ): Promise<ChannelAccount> {
    const account = await this.accounts.create({
      adapterId: flow.adapterId,
      name: identity.displayName,
      credentials: identity.normalizedCredentials ?? entered,
      status: 'pending',
      portalId: flow.portalId,
      hubspotChannelId: flow.channelId,
      deliveryIdentifier: identity.deliveryIdentifier,
    });
    await this.remember(account.id, flow, {});
    return account;
  }

  /**
   * The account of an earlier, successful submission of the same staging token (double submit,
   * back button), whether it is still pending or HubSpot's CHANNEL_ACCOUNT_CREATED already bound
   * and activated it.
   */
  private async alreadyCompleted(
    flow: ConnectFlow,
    identity: AccountIdentity,
  ): Promise<ChannelAccount | undefined> {
    const candidates = await this.accounts.list({
      adapterId: flow.adapterId,
      portalId: flow.portalId,
    });
    for (const account of candidates) {
      if (
        account.hubspotChannelId !== flow.channelId ||
        account.deliveryIdentifier?.type !== identity.deliveryIdentifier.type ||
        account.deliveryIdentifier.value !== identity.deliveryIdentifier.value
      ) {
        continue;
      }
      const state = await this.states.get<PendingConnection>(account.id, CONNECT_STATE_KEY);
      if (state?.accountToken === flow.accountToken && state.stagingTokenUpdatedAt) return account;
    }
    return undefined;
  }

  private async remember(
    accountId: string,
    flow: ConnectFlow,
    extra: Partial<PendingConnection>,
  ): Promise<void> {
    const value: PendingConnection = {
      accountToken: flow.accountToken,
      portalId: flow.portalId,
      channelId: flow.channelId,
      startedAt: new Date().toISOString(),
      ...extra,
    };
    await this.states.set(accountId, CONNECT_STATE_KEY, value);
  }

  private async abandon(accountId: string): Promise<void> {
    try {
      await this.states.clear(accountId);
      await this.accounts.markDeleted(accountId);
    } catch (error) {
      this.logger.error({ account: accountId, err: error }, 'could not discard a pending account');
    }
  }

  private hubspot(): HubSpotClient {
    this.client ??= this.moduleRef.get(HubSpotClient, { strict: false });
    return this.client;
  }
}
