import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config';
import { QueueingInboundEventSink } from '../pipeline/inbound-event.sink';
import { AccountDirectory } from './account-directory';
import { AccountStateRetention } from './account-state-retention';
import { AccountContextFactory, InboundEventSink } from './account-context.factory';
import { AdapterSupervisor } from './adapter-supervisor';
import { AdapterWebhookController } from './adapter-webhook.controller';
import { DefaultAccountContextFactory } from './default-account-context.factory';
import { RepositoryAccountDirectory } from './repository-account-directory';
import {
  RECEIVER_LEASE_OPTIONS,
  receiverLeaseOptions,
  type ReceiverLeaseOptions,
} from './receiver-lease/receiver-lease.options';
import { ReceiverLeaseStore } from './receiver-lease/receiver-lease.store';

/**
 * Adapters of the enabled plugins, their accounts (one receiving process per account, by lease)
 * and their platform webhooks.
 */
@Module({
  providers: [
    AdapterSupervisor,
    AccountStateRetention,
    { provide: AccountDirectory, useClass: RepositoryAccountDirectory },
    { provide: AccountContextFactory, useClass: DefaultAccountContextFactory },
    { provide: InboundEventSink, useClass: QueueingInboundEventSink },
    {
      provide: RECEIVER_LEASE_OPTIONS,
      useFactory: (config: GatewayConfig) => receiverLeaseOptions(config.RECEIVER_LEASE_SECONDS),
      inject: [GATEWAY_CONFIG],
    },
    {
      provide: ReceiverLeaseStore,
      useFactory: (dataSource: DataSource, options: ReceiverLeaseOptions) =>
        new ReceiverLeaseStore(dataSource, options.ttlMs),
      inject: [DataSource, RECEIVER_LEASE_OPTIONS],
    },
  ],
  controllers: [AdapterWebhookController],
  exports: [AdapterSupervisor, AccountDirectory, InboundEventSink],
})
export class PluginsModule {}
