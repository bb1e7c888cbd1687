import { Module } from '@nestjs/common';
import { PluginsModule } from '../../core/plugins/plugins.module';
import { HubSpotOutboundModule } from '../outbound/hubspot-outbound.module';
import { AttachmentUploader } from './attachment-uploader.service';
import { ContactResolver } from './contact-resolver.service';
import { ClientHubSpotPortals, HubSpotPortals } from './hubspot-portals';
import { InboundAccountCache } from './inbound-account.cache';
import { InboundClock } from './inbound-clock';
import { InboundJobProcessor } from './inbound-job.processor';
import { InboundMessagePublisher } from './inbound-message.publisher';
import { PublishedInboundRecorder } from './published-inbound.recorder';
import { PlatformAccess, SupervisorPlatformAccess } from './platform-access';
import { ThreadResolver } from './thread-resolver.service';
import { ThreadStatusChecker } from './thread-status.checker';
import { TicketRecorder } from './ticket-recorder.service';

/**
 * Platform events on their way to HubSpot (the `inbound` queue): customer messages published to
 * threads; read receipts and delivery status handed to the outbound module's status handler.
 * Needs the gateway's global providers (persistence, queue, metrics, GATEWAY_LOGGER,
 * SecretRedactor) and HubSpotClientModule somewhere in the application.
 */
@Module({
  imports: [PluginsModule, HubSpotOutboundModule],
  providers: [
    InboundClock,
    { provide: HubSpotPortals, useClass: ClientHubSpotPortals },
    { provide: PlatformAccess, useClass: SupervisorPlatformAccess },
    InboundAccountCache,
    ThreadStatusChecker,
    ThreadResolver,
    AttachmentUploader,
    ContactResolver,
    TicketRecorder,
    PublishedInboundRecorder,
    InboundMessagePublisher,
    InboundJobProcessor,
  ],
})
export class HubSpotInboundModule {}
