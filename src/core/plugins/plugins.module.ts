import { Module } from '@nestjs/common';
import { QueueingInboundEventSink } from '../pipeline/inbound-event.sink';
import { AccountDirectory } from './account-directory';
import { AccountContextFactory, InboundEventSink } from './account-context.factory';
import { AdapterSupervisor } from './adapter-supervisor';
import { AdapterWebhookController } from './adapter-webhook.controller';
import { DefaultAccountContextFactory } from './default-account-context.factory';
import { RepositoryAccountDirectory } from './repository-account-directory';

/** Adapters of the enabled plugins, their accounts and their platform webhooks. */
@Module({
  providers: [
    AdapterSupervisor,
    { provide: AccountDirectory, useClass: RepositoryAccountDirectory },
    { provide: AccountContextFactory, useClass: DefaultAccountContextFactory },
    { provide: InboundEventSink, useClass: QueueingInboundEventSink },
  ],
  controllers: [AdapterWebhookController],
  exports: [AdapterSupervisor, AccountDirectory, InboundEventSink],
})
export class PluginsModule {}
