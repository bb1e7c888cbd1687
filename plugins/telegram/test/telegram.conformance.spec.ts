import { resolve } from 'node:path';
import { describeAdapterConformance } from '../../../test/conformance';
import { plugin } from '..';
import { createTelegramConformanceHarness } from './telegram-conformance.harness';

describeAdapterConformance({
  plugin,
  harness: () => createTelegramConformanceHarness(),
  pluginDir: resolve(__dirname, '..'),
});
