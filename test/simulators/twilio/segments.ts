/**
 * SMS segment counting as Twilio bills it (3GPP 23.038):
 * GSM-7: 160 septets in one SMS, 153 per part when concatenated; extension characters take two
 * septets and an escape pair never splits across parts.
 * UCS-2: 70 UTF-16 units in one SMS, 67 per part; a surrogate pair never splits across parts.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM7_BASIC));
const extension = new Set(Array.from(GSM7_EXTENSION));

export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

export function isGsm7(text: string): boolean {
  return Array.from(text).every((ch) => basic.has(ch) || extension.has(ch));
}

function pack(
  costs: number[],
  single: number,
  perPart: number,
): { units: number; segments: number } {
  const units = costs.reduce((sum, c) => sum + c, 0);
  if (units === 0) return { units, segments: 1 };
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { units, segments };
}

export function countSegments(text: string): SegmentInfo {
  const chars = Array.from(text);
  if (isGsm7(text)) {
    const { units, segments } = pack(
      chars.map((ch) => (extension.has(ch) ? 2 : 1)),
      160,
      153,
    );
    return { encoding: 'GSM-7', segments, units };
  }
  const { units, segments } = pack(
    chars.map((ch) => ch.length),
    70,
    67,
  );
  return { encoding: 'UCS-2', segments, units };
}
