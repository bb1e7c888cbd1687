import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';
import { HubSpotOutboundModule } from '../outbound/hubspot-outbound.module';

/**
 * Platform events on their way to HubSpot (the `inbound` queue): customer messages published to
 * threads; read receipts and delivery status handed to the outbound module's status handler.
 */
@Module({
  imports: [PluginsModule, HubSpotOutboundModule],
  providers: [],
})
export class HubSpotInboundModule {}
