/**
 * OAuth scopes the gateway asks for when a portal installs the app (spec 1.2). The HubSpot app's
 * scope settings must list the same required scopes (HubSpot refuses an authorize URL whose
 * required scopes differ from the app's) and may list the optional ones as optional.
 */
export const HUBSPOT_REQUIRED_SCOPES = [
  /** Read channel accounts, GET a published message, staging tokens. */
  'conversations.custom_channels.read',
  /** Create/patch channel accounts, publish messages, PATCH message status. */
  'conversations.custom_channels.write',
  /** List inboxes and help desks, read threads and actors. */
  'conversations.read',
  /** Update threads, send messages through the Conversations API. */
  'conversations.write',
  /** CRM tickets API (help desk tickets). Exact scope name for every app type: UNCLEAR (spec). */
  'tickets',
  /** Files API: uploads and signed URLs for attachments. */
  'files',
] as const;

/**
 * Asked for with `optional_scope`: the install works without them. `crm.objects.contacts.read`
 * lets the gateway find the contact a customer's phone or email belongs to (channels with opaque
 * identifiers), so that "contact owner" assignment works; without it customers stay unmatched.
 * `crm.objects.contacts.write` lets HubSpot create contacts from a conversation once an email is
 * captured (spec 1.2, "Email capture" setting; newer guide only).
 */
export const HUBSPOT_OPTIONAL_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
] as const;

export type HubSpotRequiredScope = (typeof HUBSPOT_REQUIRED_SCOPES)[number];
export type HubSpotOptionalScope = (typeof HUBSPOT_OPTIONAL_SCOPES)[number];
