import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { scheduleHourly } from '../housekeeping/hourly-schedule';
import { GATEWAY_LOGGER, type GatewayLogger } from '../logging';
import { AccountStateRepository } from '../persistence/repositories/account-state.repository';
import { LOADED_PLUGINS } from './adapter-supervisor';
import type { LoadedPlugin } from './plugin-loader';

/**
 * Applies the enabled plugins' state-retention rules (`manifest.stateRetention`) once an hour:
 * account-state keys with a rule's prefix that were not written for its `maxAgeMs` are deleted,
 * for every account of the plugin (receiving here or not). Per-message records, such as the SMS
 * plugin's delivery statuses, would otherwise grow with every message sent.
 */
@Injectable()
export class AccountStateRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    @Inject(LOADED_PLUGINS) private readonly plugins: LoadedPlugin[],
    private readonly accountState: AccountStateRepository,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.plugins.some((loaded) => (loaded.plugin.manifest.stateRetention ?? []).length > 0)) {
      this.stop = scheduleHourly(() => this.sweep());
    }
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** One pass over every rule; never throws (a failed rule is logged and tried next hour). */
  async sweep(now = new Date()): Promise<number> {
    let deleted = 0;
    for (const { name, plugin } of this.plugins) {
      for (const rule of plugin.manifest.stateRetention ?? []) {
        try {
          const count = await this.accountState.deleteStale(
            name,
            rule.keyPrefix,
            new Date(now.getTime() - rule.maxAgeMs),
          );
          deleted += count;
          if (count > 0) {
            this.logger.info(
              { adapter: name, keyPrefix: rule.keyPrefix, deleted: count },
              'deleted account state past its retention',
            );
          }
        } catch (error) {
          this.logger.warn(
            { err: error, adapter: name, keyPrefix: rule.keyPrefix },
            'could not delete account state past its retention; retrying in an hour',
          );
        }
      }
    }
    return deleted;
  }
}
