import { resolve } from 'node:path';
import { describeAdapterConformance } from '../../../test/conformance';
import { plugin } from '..';
import { createMatrixAppserviceConformanceHarness } from './matrix-appservice-conformance.harness';

// The same kit as matrix.conformance.spec.ts, with the plugin in appservice mode: events arrive as
// pushed transactions at the account's webhook URL instead of through /sync.
describeAdapterConformance({
  plugin,
  harness: createMatrixAppserviceConformanceHarness,
  pluginDir: resolve(__dirname, '..'),
});
