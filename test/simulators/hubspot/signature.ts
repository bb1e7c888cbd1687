import { createHmac } from 'node:crypto';

/** Spec 7.4 step 3: only these percent-encodings are decoded before hashing (case-insensitive). */
const DECODE_TABLE: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function decodeSignatureUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (m) => DECODE_TABLE[m.toUpperCase()],
  );
}

/** X-HubSpot-Signature-v3 = base64(HMAC-SHA256(clientSecret, METHOD + URI + body + timestamp)). */
export function signatureV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestampMs: number,
): string {
  const source = `${method.toUpperCase()}${decodeSignatureUri(uri)}${body}${timestampMs}`;
  return createHmac('sha256', clientSecret).update(source, 'utf8').digest('base64');
}
