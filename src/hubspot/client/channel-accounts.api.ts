import type { components, paths } from './generated/custom-channels-v3';
import type { HubSpotHttp } from './hubspot-http';
import type { JsonResponseOf, Operation, QueryOf } from './op-types';
import { expandPath } from './path';

type Schemas = components['schemas'];
const ACCOUNTS = '/conversations/v3/custom-channels/{channelId}/channel-accounts' as const;
const ACCOUNT =
  '/conversations/v3/custom-channels/{channelId}/channel-accounts/{channelAccountId}' as const;
const STAGING =
  '/conversations/v3/custom-channels/{channelId}/channel-account-staging-tokens/{accountToken}' as const;

export type ChannelAccount = Schemas['PublicChannelAccount'];
export type ChannelAccountCreate = Schemas['PublicChannelAccountEgg'];
export type ChannelAccountUpdate = Schemas['PublicChannelAccountUpdateRequest'];
export type StagingToken = Schemas['PublicChannelAccountStagingToken'];
export type StagingTokenUpdate = Schemas['PublicChannelAccountStagingTokenUpdateRequest'];
export type ChannelAccountListQuery = QueryOf<Operation<paths, typeof ACCOUNTS, 'get'>>;
export type ChannelAccountPage = JsonResponseOf<Operation<paths, typeof ACCOUNTS, 'get'>, 200>;

/** Channel accounts of one portal (spec 4), with the portal's OAuth token. */
export class ChannelAccountsApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  create(channelId: string, body: ChannelAccountCreate): Promise<ChannelAccount> {
    return this.http.json({
      method: 'POST',
      path: expandPath(ACCOUNTS, { channelId }),
      auth: this.auth(),
      json: body,
    });
  }

  list(channelId: string, query: ChannelAccountListQuery = {}): Promise<ChannelAccountPage> {
    return this.http.json({
      method: 'GET',
      path: expandPath(ACCOUNTS, { channelId }),
      query,
      auth: this.auth(),
    });
  }

  get(channelId: string, channelAccountId: string, archived?: boolean): Promise<ChannelAccount> {
    return this.http.json({
      method: 'GET',
      path: expandPath(ACCOUNT, { channelId, channelAccountId }),
      query: { archived },
      auth: this.auth(),
    });
  }

  /** Renames or (de)authorizes an account; `authorized: false` disconnects it. */
  update(
    channelId: string,
    channelAccountId: string,
    body: ChannelAccountUpdate,
  ): Promise<ChannelAccount> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(ACCOUNT, { channelId, channelAccountId }),
      auth: this.auth(),
      json: body,
    });
  }

  /** Connect flow (spec 4.3): names the account behind a staging token. 409 = already used. */
  updateStagingToken(
    channelId: string,
    accountToken: string,
    body: StagingTokenUpdate,
  ): Promise<StagingToken> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(STAGING, { channelId, accountToken }),
      loggedPath: expandPath(STAGING, { channelId, accountToken: 'x' }).replace(
        /x$/,
        '{accountToken}',
      ),
      auth: this.auth(),
      json: body,
    });
  }

  private auth(): { type: 'portal'; portalId: string } {
    return { type: 'portal', portalId: this.portalId };
  }
}
