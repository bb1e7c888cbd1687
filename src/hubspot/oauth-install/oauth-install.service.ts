import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GATEWAY_CONFIG } from '../../core/config/config.tokens';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { GATEWAY_LOGGER } from '../../core/logging/logger.tokens';
import type { GatewayLogger } from '../../core/logging/logger';
import { HubSpotTokenManager } from '../oauth/token-manager';
import { describeExchangeFailure } from './exchange-failure';
import {
  buildAuthorizeUrl,
  callbackUrlOf,
  OAUTH_INSTALL_OPTIONS,
  type ResolvedOAuthInstallOptions,
} from './oauth-install.options';
import { type ErrorPage, renderErrorPage, renderSuccessPage } from './oauth-pages';
import { deriveStateKey, OAuthStateSigner } from './oauth-state';

/** What a route answers: a redirect, or an HTML page with its status. */
export type InstallPage = { status: number; html: string };
export type InstallAnswer = { redirect: string } | InstallPage;

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

const INSTALL_PATH = '/oauth/install';

/**
 * The install flow: sends the admin to HubSpot's consent page with a signed `state`, then trades
 * the returned code for the portal's tokens (stored encrypted by HubSpotTokenManager).
 */
@Injectable()
export class OAuthInstallService implements OnModuleInit {
  private readonly logger: GatewayLogger;
  private signer?: OAuthStateSigner;
  private tokenManager?: HubSpotTokenManager;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(OAUTH_INSTALL_OPTIONS) private readonly options: ResolvedOAuthInstallOptions,
    @Inject(GATEWAY_LOGGER) logger: GatewayLogger,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = logger.child({ component: 'hubspot-oauth-install' });
  }

  /** Fails the start-up when HubSpotClientModule is missing, rather than the first install. */
  onModuleInit(): void {
    try {
      this.tokenManager = this.moduleRef.get(HubSpotTokenManager, { strict: false });
    } catch (error) {
      throw new Error('HubSpotOAuthInstallModule needs HubSpotClientModule in the application', {
        cause: error,
      });
    }
  }

  start(): InstallAnswer {
    const setup = this.credentials();
    if ('html' in setup) return setup;
    const url = buildAuthorizeUrl({
      authorizeUrl: this.options.authorizeUrl,
      clientId: setup.clientId,
      redirectUri: this.redirectUri(),
      scopes: this.options.scopes,
      optionalScopes: this.options.optionalScopes,
      state: setup.signer.issue(),
    });
    return { redirect: url };
  }

  async complete(query: CallbackQuery): Promise<InstallAnswer> {
    const setup = this.credentials();
    if ('html' in setup) return setup;
    const state = setup.signer.verify(query.state);
    if (query.error) {
      this.logger.warn(
        {
          error: query.error,
          description: query.error_description,
          state: state.ok || state.reason,
        },
        'HubSpot install refused at the consent page',
      );
      // HubSpot's own words only when the redirect is provably ours: no text injection by link.
      const description = state.ok ? query.error_description?.slice(0, 500) : undefined;
      return this.failure(400, {
        title: 'The installation was not approved',
        message: description || 'HubSpot did not grant access to the account.',
        code: state.ok ? query.error.slice(0, 100) : undefined,
      });
    }
    if (!state.ok) {
      this.logger.warn({ reason: state.reason }, 'HubSpot install callback with an invalid state');
      return this.failure(400, {
        title: 'This installation link is invalid or has expired',
        message:
          state.reason === 'expired'
            ? 'The installation took too long. Start it again.'
            : 'The request did not come from an installation started here. Start it again.',
      });
    }
    if (!query.code) {
      this.logger.warn('HubSpot install callback without a code');
      return this.failure(400, {
        title: 'HubSpot sent no authorization code',
        message: 'The answer from HubSpot is incomplete. Start the installation again.',
      });
    }
    try {
      const installed = await this.tokens().exchangeCode(query.code, this.redirectUri());
      this.logger.info(
        { portalId: installed.portalId, scopes: installed.scopes },
        'HubSpot app installed',
      );
      return { status: 200, html: renderSuccessPage(installed) };
    } catch (error) {
      const failure = describeExchangeFailure(error);
      this.logger.error(failure.log, 'HubSpot install: code exchange failed');
      return this.failure(failure.status, failure.page);
    }
  }

  private failure(status: number, page: ErrorPage): InstallPage {
    return { status, html: renderErrorPage({ retryUrl: INSTALL_PATH, ...page }) };
  }

  private credentials(): InstallPage | { clientId: string; signer: OAuthStateSigner } {
    const clientId = this.config.HUBSPOT_CLIENT_ID;
    const secret = this.config.HUBSPOT_CLIENT_SECRET;
    if (!clientId || !secret) {
      this.logger.error(
        { clientId: Boolean(clientId), clientSecret: Boolean(secret) },
        'HubSpot install needs HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET',
      );
      return {
        status: 500,
        html: renderErrorPage({
          title: 'The gateway is not set up for HubSpot yet',
          message:
            'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET must be configured before the app can be installed.',
        }),
      };
    }
    this.signer ??= new OAuthStateSigner(deriveStateKey(secret), {
      ttlMs: this.options.stateTtlMs,
    });
    return { clientId, signer: this.signer };
  }

  private redirectUri(): string {
    return callbackUrlOf(this.config.PUBLIC_URL);
  }

  /** HubSpotClientModule is a sibling module in the gateway: found across modules. */
  private tokens(): HubSpotTokenManager {
    this.tokenManager ??= this.moduleRef.get(HubSpotTokenManager, { strict: false });
    return this.tokenManager;
  }
}
