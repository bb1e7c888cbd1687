/**
 * Validators for the custom `format`s used by Twilio's OpenAPI document.
 * `phone-number` accepts what Twilio accepts as an address: E.164, a channel address
 * (`whatsapp:+1…`), a short code, or an alphanumeric sender ID. `date-time` also accepts the
 * `YYYY-MM-DD` form the document's own examples use for `DateSent`.
 */

const E164 = /^\+[1-9]\d{1,14}$/;
const CHANNEL = /^[a-z]+:\S+$/;
const SHORT_CODE = /^\d{3,8}$/;
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

export function isAddress(value: string): boolean {
  return E164.test(value) || CHANNEL.test(value);
}

export const twilioFormats: Record<string, (value: string) => boolean> = {
  'phone-number': (v) =>
    E164.test(v) || CHANNEL.test(v) || SHORT_CODE.test(v) || ALPHANUMERIC.test(v),
  'date-time': (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10))),
  'date-time-rfc-2822': (v) => !Number.isNaN(Date.parse(v)),
  'http-method': (v) => ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'].includes(v.toUpperCase()),
  'iso-country-code': (v) => /^[A-Z]{2}$/.test(v),
  currency: (v) => /^[A-Za-z]{3}$/.test(v),
  'uri-map': () => true,
  'phone-number-capabilities': () => true,
  'ice-server': () => true,
};
