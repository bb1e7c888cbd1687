import { resolve } from 'node:path';
import { describeAdapterConformance } from '../../../test/conformance';
import { plugin } from '..';
import { createSmsConformanceHarness } from './sms-conformance.harness';

describeAdapterConformance({
  plugin,
  harness: createSmsConformanceHarness,
  pluginDir: resolve(__dirname, '..'),
  // Twilio's Body limit: longer SMS never reach a webhook in one piece.
  longInboundTextLength: 1600,
});
