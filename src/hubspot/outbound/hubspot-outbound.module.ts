import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';

/**
 * Agents' replies on their way to the platforms (the `hubspot-outgoing` queue) and what the
 * platforms report back about them (read receipts, delivery status), reported to HubSpot.
 */
@Module({
  imports: [PluginsModule],
  providers: [],
  exports: [],
})
export class HubSpotOutboundModule {}
