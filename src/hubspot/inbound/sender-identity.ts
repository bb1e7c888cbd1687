/**
 * How a customer appears on a published message: the delivery identifier HubSpot matches
 * contacts and threads by (spec 5), and the name agents see.
 */
import type { DeliveryIdentifier, DeliveryIdentifierType, Sender } from '../../core/adapter';

/**
 * The channel's identifier type decides: phone channels send the E.164 number, email channels
 * the lower-cased address, other channels the platform's own id. A platform that did not give
 * the number or address falls back to the id (HubSpot then rejects it if it is not valid, which
 * is a permanent error the operator sees in the dead letters).
 */
export function senderDeliveryIdentifier(
  type: DeliveryIdentifierType,
  sender: Sender,
): DeliveryIdentifier {
  switch (type) {
    case 'HS_PHONE_NUMBER':
      return { type, value: sender.phone ?? sender.id };
    case 'HS_EMAIL_ADDRESS':
      return { type, value: (sender.email ?? sender.id).trim().toLowerCase() };
    case 'CHANNEL_SPECIFIC_OPAQUE_ID':
      return { type, value: sender.id };
  }
}

/** The name shown in HubSpot: display name, else handle, else the platform id. */
export function senderName(sender: Sender): string {
  const name = sender.displayName?.trim() || sender.handle?.trim();
  return name || sender.id;
}
