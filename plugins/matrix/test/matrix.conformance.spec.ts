import { resolve } from 'node:path';
import { describeAdapterConformance } from '../../../test/conformance';
import { plugin } from '..';
import { createMatrixConformanceHarness } from './matrix-conformance.harness';

describeAdapterConformance({
  plugin,
  harness: createMatrixConformanceHarness,
  pluginDir: resolve(__dirname, '..'),
});
