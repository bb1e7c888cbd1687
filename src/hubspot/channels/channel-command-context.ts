import { DataSource } from 'typeorm';
import { ConfigError, type ConfigProblem } from '../../core/config/config-error';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { SecretCipher } from '../../core/crypto/secret-cipher';
import { buildDataSourceOptions } from '../../core/persistence/database-options';
import { createRepositories } from '../../core/persistence/repositories/persistence-repositories';
import type { PreparedGateway } from '../../prepare-gateway';
import { createHubSpotClient } from '../client/create-hubspot-client';
import { hubSpotClientOptionsFromConfig } from '../client/hubspot-client.options';
import { InstallTokenStore } from '../oauth/install-token-store';
import { ChannelRegistrationService } from './channel-registration.service';

/** What the channel commands need, opened without starting the gateway. */
export interface ChannelCommandContext {
  service: ChannelRegistrationService;
  close(): Promise<void>;
}

/** The settings the custom-channel endpoints need (developer key and app id), named when missing. */
export function assertChannelConfig(config: GatewayConfig): void {
  const problems: ConfigProblem[] = [];
  if (!config.HUBSPOT_APP_ID) {
    problems.push({
      key: 'HUBSPOT_APP_ID',
      message: 'is required to register channels: the id of your HubSpot app',
    });
  }
  if (!config.HUBSPOT_DEVELOPER_API_KEY) {
    problems.push({
      key: 'HUBSPOT_DEVELOPER_API_KEY',
      message: 'is required to register channels: the developer API key of your developer account',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * Opens the database (running pending migrations), the repositories and the HubSpot client:
 * no adapter, queue or HTTP server is started. `close()` releases all of it.
 */
export async function openChannelCommandContext(
  prepared: PreparedGateway,
): Promise<ChannelCommandContext> {
  const { config, plugins, logger } = prepared;
  assertChannelConfig(config);
  const dataSource = new DataSource(buildDataSourceOptions(config.DATABASE_URL));
  await dataSource.initialize();
  try {
    const repositories = createRepositories(dataSource, new SecretCipher(prepared.encryptionKey));
    const kit = createHubSpotClient(hubSpotClientOptionsFromConfig(config), {
      tokenStore: new InstallTokenStore(repositories.installs),
      logger,
    });
    const service = new ChannelRegistrationService({
      hubspot: kit.client,
      registrations: repositories.channelRegistrations,
      config,
      plugins,
      logger,
    });
    return {
      service,
      close: async () => {
        await kit.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
