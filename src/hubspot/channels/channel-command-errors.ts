import { ConfigError } from '../../core/config/config-error';
import {
  HubSpotApiError,
  HubSpotRateLimitedError,
  HubSpotServerError,
  HubSpotTransportError,
} from '../client/errors';

/**
 * One line (or, for configuration, several) telling an operator what went wrong: HubSpot's own
 * message with its correlationId (what HubSpot support asks for), never the developer key.
 */
export function describeChannelCommandError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof HubSpotApiError) {
    const kind = [error.category, error.details.subCategory].filter(Boolean).join('/');
    const context = error.details.context ? ` ${JSON.stringify(error.details.context)}` : '';
    return (
      `HubSpot refused (HTTP ${error.status}${kind ? ` ${kind}` : ''} on ` +
      `${error.details.operation}): ${error.hubspotMessage}${context} ` +
      `correlationId=${error.correlationId ?? '(none)'}`
    );
  }
  if (error instanceof HubSpotServerError) return `${error.message}; try again later`;
  if (error instanceof HubSpotRateLimitedError) {
    const where = error.correlationId ? ` correlationId=${error.correlationId}` : '';
    return `${error.message}${where}; try again later`;
  }
  if (error instanceof HubSpotTransportError) {
    return `HubSpot could not be reached (${error.kind}): ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
