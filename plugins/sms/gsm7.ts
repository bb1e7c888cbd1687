/**
 * SMS segment counting (3GPP 23.038): GSM-7 (160 septets, 153 per part of a concatenated SMS,
 * extension characters cost 2 and never split) or UCS-2 (70 units, 67 per part, surrogate pairs
 * never split). Used for logging and rate limiting; Twilio does its own encoding.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(Array.from(GSM7_BASIC));
const EXTENSION = new Set(Array.from(GSM7_EXTENSION));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

export function isGsm7(text: string): boolean {
  return Array.from(text).every((char) => BASIC.has(char) || EXTENSION.has(char));
}

export function countSegments(text: string): SegmentCount {
  if (text === '') return { encoding: 'GSM-7', segments: 0, units: 0 };
  return isGsm7(text) ? countGsm7(text) : countUcs2(text);
}

function countGsm7(text: string): SegmentCount {
  const costs = Array.from(text).map((char) => (EXTENSION.has(char) ? 2 : 1));
  return { encoding: 'GSM-7', units: sum(costs), segments: pack(costs, 160, 153) };
}

function countUcs2(text: string): SegmentCount {
  const costs = Array.from(text).map((char) => char.length);
  return { encoding: 'UCS-2', units: sum(costs), segments: pack(costs, 70, 67) };
}

/** Segments for indivisible items of the given costs: one if all fit, else parts of `perPart`. */
function pack(costs: number[], single: number, perPart: number): number {
  if (sum(costs) <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
