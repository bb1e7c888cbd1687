import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';
import { AgentAttachmentSource } from './agent-attachment-source';
import { DeliveryTargetResolver } from './delivery-target.resolver';
import { HubSpotStatusReporter } from './hubspot-status-reporter';
import { OutboundDeliveryProcessor } from './outbound-delivery.processor';
import { OutboundDeliveryService } from './outbound-delivery.service';
import { OutboundMessageBuilder } from './outbound-message-builder';
import { PlatformStatusHandler } from './platform-status.handler';
import { PlatformStatusService } from './platform-status.service';

/**
 * Agents' replies on their way to the platforms (the `hubspot-outgoing` queue) and what the
 * platforms report back about them (read receipts, delivery status), reported to HubSpot.
 * Needs the gateway's global providers (persistence, queue, metrics, GATEWAY_CONFIG,
 * GATEWAY_LOGGER) and HubSpotClientModule somewhere in the application.
 */
@Module({
  imports: [PluginsModule],
  providers: [
    HubSpotStatusReporter,
    AgentAttachmentSource,
    OutboundMessageBuilder,
    DeliveryTargetResolver,
    OutboundDeliveryService,
    OutboundDeliveryProcessor,
    { provide: PlatformStatusHandler, useClass: PlatformStatusService },
  ],
  exports: [PlatformStatusHandler],
})
export class HubSpotOutboundModule {}
