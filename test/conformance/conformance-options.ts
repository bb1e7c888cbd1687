import type { GatewayPlugin } from '../../src/core/adapter';
import type { ConformanceHarness, HarnessAccount } from './conformance-harness';

export interface AdapterConformanceOptions<
  TSettings extends object = object,
  TAccount extends HarnessAccount = HarnessAccount,
> {
  /** What `plugins/<name>/index.ts` exports as `plugin`. */
  plugin: GatewayPlugin<TSettings>;
  /** Creates the harness; called once, in beforeAll. */
  harness: () => ConformanceHarness<TAccount>;
  /** The plugin's folder (e.g. `path.resolve(__dirname, '..')`): its name must be the manifest id. */
  pluginDir?: string;
  /** How long to wait for an event the platform should deliver. Default 3000 ms. */
  eventTimeoutMs?: number;
  /** How long to watch that nothing is emitted. Default 300 ms. */
  quietPeriodMs?: number;
  /** Per-test timeout. Default 15000 ms. */
  testTimeoutMs?: number;
  /** Length of the long inbound text (the platform's own limit may be lower). Default 3000. */
  longInboundTextLength?: number;
}
