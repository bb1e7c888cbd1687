/**
 * The Telegram plugin: customers write to a Telegram bot (Bot API through grammY).
 */
import { definePlugin } from '../../src/core/adapter';
import { TelegramAdapter } from './telegram.adapter';
import { telegramManifest } from './telegram.manifest';
import { TelegramSettings } from './telegram.settings';

export const plugin = definePlugin({
  manifest: telegramManifest,
  settingsClass: TelegramSettings,
  createAdapter: (context) => new TelegramAdapter(context),
});

export { TelegramAdapter } from './telegram.adapter';
export { TelegramSettings } from './telegram.settings';
