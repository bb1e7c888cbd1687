/**
 * The SMS plugin: SMS/MMS through Twilio Programmable Messaging (a provider interface leaves room
 * for others).
 */
import { definePlugin } from '../../src/core/adapter';
import { SmsAdapter } from './sms.adapter';
import { smsManifest } from './sms.manifest';
import { SmsSettings } from './sms.settings';

export const plugin = definePlugin({
  manifest: smsManifest,
  settingsClass: SmsSettings,
  createAdapter: (context) => new SmsAdapter(context),
});

export { SmsAdapter } from './sms.adapter';
export { SmsSettings } from './sms.settings';
export type { SmsProvider } from './providers/sms-provider';
