import { type DynamicModule, Module } from '@nestjs/common';
import { OAuthInstallController } from './oauth-install.controller';
import {
  type HubSpotOAuthInstallOptions,
  OAUTH_INSTALL_OPTIONS,
  resolveOAuthInstallOptions,
} from './oauth-install.options';
import { OAuthInstallService } from './oauth-install.service';

/**
 * The HubSpot app install routes: `GET /oauth/install` and `GET /oauth/callback`.
 *
 * Needs, from the gateway (AppModule): GATEWAY_CONFIG (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET,
 * PUBLIC_URL), GATEWAY_LOGGER, and HubSpotClientModule somewhere in the application (its
 * HubSpotTokenManager exchanges the code and stores the tokens).
 */
@Module({})
export class HubSpotOAuthInstallModule {
  static forRoot(options: HubSpotOAuthInstallOptions = {}): DynamicModule {
    return {
      module: HubSpotOAuthInstallModule,
      controllers: [OAuthInstallController],
      providers: [
        { provide: OAUTH_INSTALL_OPTIONS, useValue: resolveOAuthInstallOptions(options) },
        OAuthInstallService,
      ],
    };
  }
}
