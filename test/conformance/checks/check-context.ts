import type { HarnessAccount } from '../conformance-harness';
import type { ConformanceSession } from '../conformance-session';

/** What every group of checks gets: the session and a registration helper with the test timeout. */
export interface CheckContext<
  TSettings extends object = object,
  TAccount extends HarnessAccount = HarnessAccount,
> {
  session: ConformanceSession<TSettings, TAccount>;
  check(name: string, body: () => Promise<void>): void;
}
