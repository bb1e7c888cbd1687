import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';
import { ConnectController } from './connect.controller';
import { ConnectService } from './connect.service';

/**
 * The HubSpot connection popup: `GET|POST /connect/:adapter`. Needs the gateway's global
 * providers (persistence, GATEWAY_CONFIG, GATEWAY_LOGGER) and a HubSpotClient somewhere in the
 * application (HubSpotClientModule, resolved without importing it a second time).
 */
@Module({
  imports: [PluginsModule],
  controllers: [ConnectController],
  providers: [ConnectService],
  exports: [ConnectService],
})
export class HubSpotConnectModule {}
