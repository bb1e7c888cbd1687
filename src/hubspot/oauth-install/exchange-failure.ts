import {
  HubSpotApiError,
  HubSpotRateLimitedError,
  HubSpotServerError,
  HubSpotTransportError,
} from '../client/errors';
import type { ErrorPage } from './oauth-pages';

export interface ExchangeFailure {
  status: number;
  page: ErrorPage;
  /** Log fields: codes, statuses and ids only, never tokens, codes or secrets. */
  log: Record<string, unknown>;
}

/**
 * Maps a failed code exchange to a page: HubSpot refused or failed (502, with HubSpot's message
 * and correlation id), or something on our side broke, e.g. the database (500).
 */
export function describeExchangeFailure(error: unknown): ExchangeFailure {
  if (error instanceof HubSpotApiError) {
    return {
      status: 502,
      page: {
        title: 'HubSpot refused the installation',
        message: `HubSpot said: ${error.hubspotMessage}`,
        code: error.category,
        correlationId: error.correlationId,
      },
      log: {
        hubspotStatus: error.status,
        category: error.category,
        hubspotMessage: error.hubspotMessage,
        correlationId: error.correlationId,
      },
    };
  }
  if (
    error instanceof HubSpotServerError ||
    error instanceof HubSpotTransportError ||
    error instanceof HubSpotRateLimitedError
  ) {
    const correlationId = 'correlationId' in error ? error.correlationId : undefined;
    return {
      status: 502,
      page: {
        title: 'HubSpot could not be reached',
        message: 'HubSpot did not complete the installation. Try again in a moment.',
        correlationId,
      },
      log: { errorType: error.name, reason: error.message, correlationId },
    };
  }
  return {
    status: 500,
    page: {
      title: 'The installation could not be completed',
      message: 'The gateway failed to store the installation. Its logs have the details.',
    },
    log: {
      errorType: error instanceof Error ? error.name : typeof error,
      reason: error instanceof Error ? error.message : String(error),
    },
  };
}
