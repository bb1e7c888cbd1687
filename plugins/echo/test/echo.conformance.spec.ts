import { resolve } from 'node:path';
import { describeAdapterConformance } from '../../../test/conformance';
import { plugin } from '..';
import { createEchoConformanceHarness } from './echo-conformance.harness';

describeAdapterConformance({
  plugin,
  harness: createEchoConformanceHarness,
  pluginDir: resolve(__dirname, '..'),
});
