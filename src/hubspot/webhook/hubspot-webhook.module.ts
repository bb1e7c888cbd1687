import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';
import { ChannelAccountLifecycleService } from './channel-account-lifecycle.service';
import { HubSpotEventsProcessor } from './hubspot-events.processor';
import { HubSpotWebhookController } from './hubspot-webhook.controller';
import { HubSpotWebhookIntake } from './hubspot-webhook-intake.service';

/**
 * HubSpot's webhooks (spec 7): `POST /hubspot/webhook` and the `hubspot-events` processor that
 * keeps channel accounts in step with HubSpot. Needs the gateway's global providers (persistence,
 * queue, GATEWAY_CONFIG, GATEWAY_LOGGER) and HubSpotClientModule somewhere in the application.
 */
@Module({
  imports: [PluginsModule],
  controllers: [HubSpotWebhookController],
  providers: [HubSpotWebhookIntake, ChannelAccountLifecycleService, HubSpotEventsProcessor],
  exports: [ChannelAccountLifecycleService],
})
export class HubSpotWebhookModule {}
