import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { HubSpotClientModule } from './hubspot/hubspot-client.module';
import { HubSpotOAuthInstallModule } from './hubspot/oauth-install/oauth-install.module';
import { HubSpotConnectModule } from './hubspot/connect/connect.module';
import { HubSpotWebhookModule } from './hubspot/webhook/hubspot-webhook.module';
import { HubSpotInboundModule } from './hubspot/inbound/hubspot-inbound.module';
import { HubSpotOutboundModule } from './hubspot/outbound/hubspot-outbound.module';
import type { PreparedGateway } from './prepare-gateway';
import { parseDatabaseUrl } from './core/persistence/database-options';
import { PersistenceModule } from './core/persistence/persistence.module';
import { SqliteCheckpointer } from './core/persistence/sqlite-checkpointer';
import { MetricsModule } from './core/observability/metrics.module';
import { ObservabilityModule } from './core/observability/observability.module';
import { PluginsModule } from './core/plugins/plugins.module';
import { GATEWAY_LOGGER, SecretRedactor } from './core/logging';
import { LOADED_PLUGINS } from './core/plugins/adapter-supervisor';
import { GATEWAY_CONFIG, PUBLIC_URL } from './core/config/config.tokens';
import { QueueModule } from './core/queue/queue.module';
import { ProcessedEventRetention } from './core/pipeline/processed-event-retention';
import { GatewayLifecycle } from './gateway-lifecycle';

type ModuleImport = NonNullable<DynamicModule['imports']>[number];

/** The gateway: core services, the HubSpot module and the enabled plugins' adapters. */
@Module({})
export class AppModule {
  /** `extraModules`: more feature modules (tests use it to mount a module under development). */
  static forRoot(prepared: PreparedGateway, extraModules: ModuleImport[] = []): DynamicModule {
    const { config } = prepared;
    return {
      module: AppModule,
      global: true,
      imports: [
        PersistenceModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          encryptionKey: prepared.encryptionKey,
          // SQLite cannot be "not there yet"; PostgreSQL may still be starting.
          retryAttempts: parseDatabaseUrl(config.DATABASE_URL).kind === 'sqlite' ? 1 : 5,
        }),
        MetricsModule,
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, manageLifecycle: false }),
        PluginsModule,
        HubSpotClientModule.forRoot({ loggerToken: GATEWAY_LOGGER }),
        HubSpotOAuthInstallModule.forRoot({ authorizeUrl: config.HUBSPOT_AUTHORIZE_URL }),
        HubSpotConnectModule,
        HubSpotWebhookModule,
        HubSpotInboundModule,
        HubSpotOutboundModule,
        ObservabilityModule,
        AdminModule,
        ...extraModules,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: prepared.logger },
        { provide: SecretRedactor, useValue: prepared.redactor },
        { provide: LOADED_PLUGINS, useValue: prepared.plugins },
        { provide: PUBLIC_URL, useValue: config.PUBLIC_URL },
        GatewayLifecycle,
        ProcessedEventRetention,
        SqliteCheckpointer,
      ],
      exports: [GATEWAY_CONFIG, GATEWAY_LOGGER, SecretRedactor, LOADED_PLUGINS, PUBLIC_URL],
    };
  }
}
