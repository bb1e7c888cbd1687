/**
 * Sample content for conformance checks: small files per attachment kind (real where a real one
 * is tiny, otherwise synthetic bytes behind the right magic number), a location, a contact card
 * and texts that break naive encodings.
 */
import type {
  AttachmentKind,
  BinaryAttachmentKind,
  ContactCard,
  LocationAttachment,
} from '../../src/core/adapter';

export interface BinaryFixture {
  kind: BinaryAttachmentKind;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

export type AttachmentFixture = BinaryFixture | LocationAttachment | ContactCard;

/** Deterministic bytes covering every byte value (no platform may assume text). */
export function sampleBytes(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const withHeader = (header: Buffer | string, length: number, seed: number): Buffer => {
  const head = Buffer.isBuffer(header) ? header : Buffer.from(header, 'latin1');
  return Buffer.concat([head, sampleBytes(Math.max(0, length - head.length), seed)]);
};

/** A real 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A real 1x1 GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const MP4_FTYP = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');

/** Candidates per kind, most common first; the kit takes the first the manifest allows. */
export const BINARY_FIXTURES: Record<BinaryAttachmentKind, BinaryFixture[]> = {
  image: [
    { kind: 'image', fileName: 'pixel.png', mimeType: 'image/png', bytes: PNG },
    {
      kind: 'image',
      fileName: 'photo.jpg',
      mimeType: 'image/jpeg',
      bytes: withHeader(Buffer.from('ffd8ffe000104a46494600', 'hex'), 2048, 2),
    },
    { kind: 'image', fileName: 'pixel.gif', mimeType: 'image/gif', bytes: GIF },
  ],
  audio: [
    {
      kind: 'audio',
      fileName: 'tune.mp3',
      mimeType: 'audio/mpeg',
      bytes: withHeader('ID3\x04\x00\x00', 4096, 3),
    },
    {
      kind: 'audio',
      fileName: 'tune.ogg',
      mimeType: 'audio/ogg',
      bytes: withHeader('OggS\x00\x02', 4096, 4),
    },
  ],
  voice: [
    {
      kind: 'voice',
      fileName: 'voice.ogg',
      mimeType: 'audio/ogg',
      bytes: withHeader('OggS\x00\x02\x00\x00OpusHead', 3072, 5),
    },
    {
      kind: 'voice',
      fileName: 'voice.mp3',
      mimeType: 'audio/mpeg',
      bytes: withHeader('ID3\x04\x00\x00', 3072, 6),
    },
  ],
  video: [
    {
      kind: 'video',
      fileName: 'clip.mp4',
      mimeType: 'video/mp4',
      bytes: withHeader(MP4_FTYP, 256 * 1024, 7),
    },
  ],
  sticker: [
    {
      kind: 'sticker',
      fileName: 'sticker.webp',
      mimeType: 'image/webp',
      bytes: withHeader('RIFF\x24\x08\x00\x00WEBPVP8L', 2084, 8),
    },
    { kind: 'sticker', fileName: 'sticker.png', mimeType: 'image/png', bytes: PNG },
  ],
  file: [
    {
      kind: 'file',
      fileName: 'отчёт 2026 (final).pdf',
      mimeType: 'application/pdf',
      bytes: Buffer.concat([
        Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
        sampleBytes(8000, 9),
        Buffer.from('\n%%EOF\n'),
      ]),
    },
    {
      kind: 'file',
      fileName: 'notes.txt',
      mimeType: 'text/plain',
      bytes: Buffer.from('Plain notes: ünïcödé ✓\n'),
    },
  ],
};

export const LOCATION_FIXTURE: LocationAttachment = {
  kind: 'location',
  latitude: 52.520008,
  longitude: 13.404954,
  name: 'Fernsehturm',
  address: 'Panoramastraße 1A, 10178 Berlin',
};

export const CONTACT_FIXTURE: ContactCard = {
  kind: 'contact',
  firstName: 'Zoë',
  lastName: 'Łukasiewicz',
  phones: [{ phone: '+4915112345678', type: 'CELL' }],
  emails: [{ email: 'zoe@example.com' }],
  organization: 'Example GmbH',
};

/** Whether a MIME type is allowed by a list with wildcards (`image/*`, `*\/*`). */
export function mimeAllowed(mimeType: string, allowed: string[]): boolean {
  const [type] = mimeType.split('/');
  return allowed.some((entry) => entry === mimeType || entry === '*/*' || entry === `${type}/*`);
}

/** The first fixture of a kind whose MIME type the list allows (all when no list is given). */
export function binaryFixture(
  kind: BinaryAttachmentKind,
  allowed?: string[],
): BinaryFixture | undefined {
  return BINARY_FIXTURES[kind].find((f) => !allowed || mimeAllowed(f.mimeType, allowed));
}

export function attachmentFixture(kind: AttachmentKind): AttachmentFixture {
  if (kind === 'location') return LOCATION_FIXTURE;
  if (kind === 'contact') return CONTACT_FIXTURE;
  return BINARY_FIXTURES[kind][0];
}

/** Cyrillic, CJK, emoji (with modifiers and ZWJ sequences), RTL Arabic and Hebrew, combining marks. */
export const NON_LATIN_TEXT =
  'Привет, мир! 你好，世界 こんにちは 안녕하세요 🎉👍🏽👩‍💻🇩🇪 مرحبا بالعالم שלום עולם e\u0301 ñ';

/** Numbered words, so order and completeness can be checked: "w00001 w00002 ...". */
export function longText(minLength: number): string {
  const words: string[] = [];
  let length = 0;
  for (let index = 1; length < minLength; index++) {
    const word = `w${String(index).padStart(5, '0')}${index % 7 === 0 ? '.\n' : ''}`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

/** Words of a text, whitespace ignored (what survives any sane split). */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
