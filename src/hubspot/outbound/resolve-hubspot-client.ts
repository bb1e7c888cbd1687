import type { ModuleRef } from '@nestjs/core';
import { HubSpotClient } from '../client/hubspot-client';

/**
 * The application's HubSpot client (HubSpotClientModule is global), looked up at module init so
 * that a gateway assembled without it fails at start-up with a clear message.
 */
export function resolveHubSpotClient(moduleRef: ModuleRef): HubSpotClient {
  try {
    return moduleRef.get(HubSpotClient, { strict: false });
  } catch (error) {
    throw new Error('HubSpotOutboundModule needs HubSpotClientModule in the application', {
      cause: error,
    });
  }
}
