import {
  startHubSpotSimulator,
  type HubSpotSimulator,
  type HubSpotSimulatorOptions,
} from '../../../test/simulators/hubspot';
import { createHubSpotClient, type HubSpotClientKit } from '../client/create-hubspot-client';
import {
  type HubSpotClientOverrides,
  resolveHubSpotClientOptions,
} from '../client/hubspot-client.options';
import { MemoryTokenStore } from '../oauth/memory-token-store';
import type { TokenStore } from '../oauth/token-store';

export interface SimHarness {
  sim: HubSpotSimulator;
  kit: HubSpotClientKit;
  store: TokenStore;
  /** Installs a new portal through the real OAuth code exchange; returns its id. */
  install(): Promise<{ portalId: string; inboxes: { id: string; type: string }[] }>;
  close(): Promise<void>;
}

/** A simulator plus a client pointed at it (tests only). */
export async function startSimHarness(
  simOptions: Partial<HubSpotSimulatorOptions> = {},
  clientOverrides: HubSpotClientOverrides = {},
  store: TokenStore = new MemoryTokenStore(),
): Promise<SimHarness> {
  const sim = await startHubSpotSimulator(simOptions);
  const kit = createHubSpotClient(
    resolveHubSpotClientOptions({
      baseUrl: sim.baseUrl,
      appId: String(sim.app.appId),
      clientId: sim.app.clientId,
      clientSecret: sim.app.clientSecret,
      developerApiKey: sim.app.developerApiKey,
      ...clientOverrides,
    }),
    { tokenStore: store },
  );
  return {
    sim,
    kit,
    store,
    install: async () => {
      const created = sim.control.createPortal({ redirectUri: 'http://127.0.0.1/oauth/callback' });
      const installed = await kit.tokens.exchangeCode(
        created.authorizationCode,
        created.redirectUri,
      );
      return { portalId: installed.portalId, inboxes: created.inboxes };
    },
    close: async () => {
      await kit.close();
      await sim.close();
    },
  };
}
