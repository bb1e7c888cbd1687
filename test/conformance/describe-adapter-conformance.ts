/**
 * The adapter conformance suite: one call in a plugin's spec registers every check.
 *
 *   describeAdapterConformance({ plugin, harness: () => createEchoConformanceHarness() });
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { HarnessAccount } from './conformance-harness';
import type { AdapterConformanceOptions } from './conformance-options';
import { ConformanceSession } from './conformance-session';
import { describeCapabilityChecks } from './checks/capabilities.checks';
import type { CheckContext } from './checks/check-context';
import { describeCredentialChecks } from './checks/credentials.checks';
import { describeErrorChecks } from './checks/errors.checks';
import { describeIdempotencyChecks } from './checks/idempotency.checks';
import { describeInboundChecks } from './checks/inbound.checks';
import { describeLifecycleChecks } from './checks/lifecycle.checks';
import { describeManifestChecks } from './checks/manifest.checks';
import { describeOutboundChecks } from './checks/outbound.checks';
import { describeWebhookChecks } from './checks/webhook.checks';

export function describeAdapterConformance<
  TSettings extends object,
  TAccount extends HarnessAccount,
>(options: AdapterConformanceOptions<TSettings, TAccount>): void {
  const timeout = options.testTimeoutMs ?? 15_000;
  describe(`${options.plugin.manifest.id} adapter conformance`, () => {
    const session = new ConformanceSession<TSettings, TAccount>(options);
    beforeAll(() => session.start(), timeout);
    afterAll(() => session.stop(), timeout);

    const context: CheckContext<TSettings, TAccount> = {
      session,
      check: (name, body) => it(name, body, timeout),
    };
    describeManifestChecks(context);
    describeCredentialChecks(context);
    describeLifecycleChecks(context);
    describeInboundChecks(context);
    describeOutboundChecks(context);
    describeIdempotencyChecks(context);
    describeErrorChecks(context);
    describeWebhookChecks(context);
    describeCapabilityChecks(context);
  });
}
