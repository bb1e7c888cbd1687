import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { GATEWAY_CONFIG } from '../core/config/config.tokens';
import type { GatewayConfig } from '../core/config/gateway-config';
import type { GatewayLogger } from '../core/logging/logger';
import { InstallRepository } from '../core/persistence/repositories/install.repository';
import { createHubSpotClient, type HubSpotClientKit } from './client/create-hubspot-client';
import { HubSpotClient } from './client/hubspot-client';
import {
  type HubSpotClientOverrides,
  hubSpotClientOptionsFromConfig,
} from './client/hubspot-client.options';
import { OAuthTokenApi } from './oauth/oauth-token.api';
import { HubSpotTokenManager } from './oauth/token-manager';
import { TokenStore } from './oauth/token-store';
import { InstallTokenStore } from './oauth/install-token-store';
import { PortalRateLimiter } from './rate-limit/portal-rate-limiter';

/** Injection token of the wired client parts (HubSpotClientKit). */
export const HUBSPOT_CLIENT_KIT = Symbol('HUBSPOT_CLIENT_KIT');
/** Never provided: the optional logger injection when no `loggerToken` is given. */
const HUBSPOT_CLIENT_NO_LOGGER = Symbol('HUBSPOT_CLIENT_NO_LOGGER');

export interface HubSpotClientModuleOptions {
  /** Tuning on top of GatewayConfig (timeouts, rate limits, files folder...). */
  overrides?: HubSpotClientOverrides;
  /**
   * Where tokens live. Default: InstallTokenStore over the persistence layer's InstallRepository
   * (which must be injectable where this module is imported).
   */
  tokenStore?: Provider;
  /** Injection token of the gateway's pino logger (GATEWAY_LOGGER); no client logs without it. */
  loggerToken?: string | symbol;
}

/** Closes the client's own Redis connection when the application stops. */
@Injectable()
class HubSpotClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HUBSPOT_CLIENT_KIT) private readonly kit: HubSpotClientKit) {}

  async onApplicationShutdown(): Promise<void> {
    await this.kit.close();
  }
}

/**
 * Provides the HubSpot API client from the GatewayConfig (GATEWAY_CONFIG token): HubSpotClient, HubSpotTokenManager (OAuth
 * code exchange and refresh), OAuthTokenApi, PortalRateLimiter and TokenStore. No controllers.
 */
@Module({})
export class HubSpotClientModule {
  static forRoot(options: HubSpotClientModuleOptions = {}): DynamicModule {
    const tokenStore: Provider = options.tokenStore ?? {
      provide: TokenStore,
      useFactory: (installs: InstallRepository) => new InstallTokenStore(installs),
      inject: [InstallRepository],
    };
    const kit: Provider = {
      provide: HUBSPOT_CLIENT_KIT,
      useFactory: (
        config: GatewayConfig,
        store: TokenStore,
        logger?: GatewayLogger,
      ): HubSpotClientKit =>
        createHubSpotClient(hubSpotClientOptionsFromConfig(config, options.overrides), {
          tokenStore: store,
          logger: logger?.child({ component: 'hubspot-client' }),
        }),
      inject: [
        GATEWAY_CONFIG,
        TokenStore,
        { token: options.loggerToken ?? HUBSPOT_CLIENT_NO_LOGGER, optional: true },
      ],
    };
    const part = <T>(
      token: abstract new (...args: never[]) => T,
      pick: (k: HubSpotClientKit) => T,
    ) => ({
      provide: token,
      useFactory: pick,
      inject: [HUBSPOT_CLIENT_KIT],
    });
    return {
      module: HubSpotClientModule,
      // One client (and one Redis connection) serves every HubSpot feature module.
      global: true,
      providers: [
        tokenStore,
        kit,
        HubSpotClientLifecycle,
        part(HubSpotClient, (k) => k.client),
        part(HubSpotTokenManager, (k) => k.tokens),
        part(OAuthTokenApi, (k) => k.oauth),
        part(PortalRateLimiter, (k) => k.limiter),
      ],
      exports: [
        HUBSPOT_CLIENT_KIT,
        TokenStore,
        HubSpotClient,
        HubSpotTokenManager,
        OAuthTokenApi,
        PortalRateLimiter,
      ],
    };
  }
}
