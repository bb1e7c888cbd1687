import type { TgMessageEntity } from '../state/telegram-types';
import { sortEntities } from './formatted-text';

/** Entities Telegram detects by itself in any text (urls, mentions, hashtags, commands, emails). */
const PATTERNS: Array<[string, RegExp]> = [
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  ['url', /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g],
  ['mention', /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b/g],
  ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu],
  ['bot_command', /(?<![\w/])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z][A-Za-z0-9_]{4,31})?\b/g],
];

export function detectEntities(text: string, explicit: TgMessageEntity[]): TgMessageEntity[] {
  const taken: Array<[number, number]> = explicit
    .filter((e) => e.type === 'code' || e.type === 'pre' || e.type === 'text_link')
    .map((e) => [e.offset, e.offset + e.length]);
  const found: TgMessageEntity[] = [];
  for (const [type, pattern] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({ type, offset: start, length: m[0].length });
    }
  }
  return sortEntities([...explicit, ...found]);
}
