import type { TgMessageEntity } from '../state/telegram-types';

export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

/** Telegram orders entities by offset, longer (outer) entities first. */
export function sortEntities(entities: TgMessageEntity[]): TgMessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}
