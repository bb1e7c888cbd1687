import { createHmac } from 'node:crypto';

/**
 * X-Twilio-Signature: HMAC-SHA1 (key = auth token) over the full URL exactly as configured, followed
 * by every POST parameter name immediately followed by its value, names sorted in code-unit order
 * (a repeated name contributes each of its values, sorted). Base64 of the digest.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...value].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}
