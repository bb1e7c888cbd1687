/**
 * Polling mode: a getUpdates loop per account. The offset is stored in the account state after
 * the update was handled (emitted), so a restart neither loses nor repeats updates.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { InvalidCredentialsError, type AccountContext } from '../../src/core/adapter';
import { mapTelegramError } from './telegram-errors';
import { ALLOWED_UPDATES } from './telegram-updates';

export const OFFSET_KEY = 'pollingOffset';

export interface PollerOptions {
  timeoutSeconds: number;
  retryDelayMs: number;
}

export class TelegramPoller {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private warned = false;

  constructor(
    private readonly api: Api,
    private readonly account: AccountContext,
    private readonly handle: (update: Update) => Promise<void>,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Aborts the held getUpdates and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const offset = await this.account.state.get<number>(OFFSET_KEY);
        const updates = await this.api.getUpdates(
          {
            offset,
            timeout: this.options.timeoutSeconds,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          this.abort.signal as unknown as Parameters<Api['getUpdates']>[1],
        );
        for (const update of updates) {
          if (this.stopped) return;
          await this.handle(update);
          await this.account.state.set(OFFSET_KEY, update.update_id + 1);
        }
      } catch (error) {
        if (this.stopped) return;
        const mapped = mapTelegramError(error);
        if (mapped instanceof InvalidCredentialsError && !this.warned) {
          this.warned = true;
          this.account.reportWarning(`Telegram polling stopped working: ${mapped.reason}`);
        }
        this.account.logger.warn('telegram: getUpdates failed, retrying', {
          error: mapped instanceof Error ? mapped.message : String(mapped),
        });
        await this.pause(this.options.retryDelayMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}
