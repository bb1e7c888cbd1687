/**
 * Lays out text as a browser would, but as lines: flowing whitespace collapses, blocks end lines,
 * paragraphs are separated by one blank line, list items start with their marker, and each line
 * remembers its blockquote depth. Both renderers (plain text and the HTML subset) read the lines.
 * Every operation costs time proportional to the text it adds, so layout is linear.
 */

/** Inline formatting kept on a run of text. */
export type Mark = { tag: 'b' | 'i' | 'u' } | { tag: 'a'; href: string };

export interface Run {
  text: string;
  /** Outermost first. Runs with the same array share formatting. */
  marks: readonly Mark[];
}

export interface Line {
  /** Blockquote nesting of the line. */
  quoteDepth: number;
  /** List marker ("• ", "2. ") or continuation indent; plain text. */
  prefix: string;
  /** Empty for a blank line. Never ends with whitespace. */
  runs: Run[];
}

/** Numbering of one list. */
export interface ListCounter {
  ordered: boolean;
  next: number;
}

/**
 * Where the text written next starts; used to replace a link label by its address. Only exact
 * when that text goes into runs of its own (the caller writes it with a fresh marks array).
 */
export interface LayoutPosition {
  line: number;
  run: number;
  endsWithSpace: boolean;
}

export type BlockKind = 'line' | 'paragraph';

/** Nesting beyond this is not indented further; keeps hostile input from costing quadratic time. */
export const MAX_VISIBLE_NESTING = 8;

const ZERO_WIDTH = /[\u200b\ufeff]/g;
const FLOWING_SPACE = /[ \t\n\f\r]+/g;

export class TextLayout {
  /** Blockquote depth of what is written now. */
  quoteDepth = 0;
  /** List nesting of what is written now; lines inside list items are indented by it. */
  listLevel = 0;

  private readonly lines: Line[] = [];
  private current: Line | undefined;
  /** Serial number of `current` (or of the last line, when there is no current line). */
  private serial = 0;
  /** The current line ends with a collapsible space. */
  private endsWithSpace = false;
  private blankPending = false;
  private blankDepth = 0;
  private marker: { counter: ListCounter | undefined; level: number } | undefined;

  /** Flowing text: runs of whitespace become one space, none at the start of a line. */
  write(text: string, marks: readonly Mark[]): void {
    let value = text.replace(ZERO_WIDTH, '').replace(FLOWING_SPACE, ' ');
    if ((this.current === undefined || this.endsWithSpace) && value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (value === '') return;
    this.append(value, marks);
    this.endsWithSpace = value.endsWith(' ');
  }

  /** Preformatted text: spaces are kept and every newline is a line break. */
  writePreformatted(text: string, marks: readonly Mark[]): void {
    const parts = text.replace(ZERO_WIDTH, '').replace(/\r\n?/g, '\n').split('\n');
    parts.forEach((part, index) => {
      if (index > 0) this.lineBreak();
      if (part !== '') {
        this.append(part, marks);
        this.endsWithSpace = false;
      }
    });
  }

  /** `<br>`: ends the current line, or adds an empty one. */
  lineBreak(): void {
    if (this.current) {
      this.endLine();
      return;
    }
    this.flushBlank();
    this.lines.push({ quoteDepth: this.quoteDepth, prefix: '', runs: [] });
  }

  /**
   * The start or end of a block ends the current line; a paragraph boundary also puts one blank
   * line before whatever comes next (never at the very start or end).
   */
  blockBoundary(kind: BlockKind): void {
    if (this.current) this.endLine();
    if (kind === 'paragraph') {
      // A blank line between a quote and what follows belongs to the shallower of the two.
      this.blankDepth = this.blankPending
        ? Math.min(this.blankDepth, this.quoteDepth)
        : this.quoteDepth;
      this.blankPending = true;
    }
  }

  /** A list item starts: its first line gets the marker (numbered when it gets content). */
  startListItem(counter: ListCounter | undefined): void {
    this.blockBoundary('line');
    this.marker = { counter, level: this.listLevel };
  }

  endListItem(): void {
    this.blockBoundary('line');
    this.marker = undefined;
  }

  position(): LayoutPosition {
    return this.current
      ? { line: this.serial, run: this.current.runs.length, endsWithSpace: this.endsWithSpace }
      : { line: this.serial + 1, run: 0, endsWithSpace: false };
  }

  /**
   * Replaces the runs written since `from` by `text`, when they are still on the current line.
   * Returns false (and changes nothing) otherwise.
   */
  replaceSince(from: LayoutPosition, text: string, marks: readonly Mark[]): boolean {
    if (!this.current || this.serial !== from.line) return false;
    const runs = this.current.runs;
    runs.length = Math.min(runs.length, from.run);
    // Remembered, not read back: `endsWith` would flatten a long run each time (quadratic).
    this.endsWithSpace = from.endsWithSpace;
    this.write(text, marks);
    return true;
  }

  /** The finished lines: no blank lines at either end, never two blank lines in a row. */
  finish(): Line[] {
    if (this.current) this.endLine();
    const out: Line[] = [];
    for (const line of this.lines) {
      const previous = out[out.length - 1];
      if (line.runs.length === 0) {
        if (!previous) continue;
        if (previous.runs.length === 0) {
          previous.quoteDepth = Math.min(previous.quoteDepth, line.quoteDepth);
          continue;
        }
      }
      out.push(line);
    }
    while (out.length > 0 && out[out.length - 1].runs.length === 0) out.pop();
    return out;
  }

  private append(text: string, marks: readonly Mark[]): void {
    const line = this.current ?? this.startLine();
    const last = line.runs[line.runs.length - 1];
    if (last && last.marks === marks) last.text += text;
    else line.runs.push({ text, marks });
  }

  private startLine(): Line {
    this.flushBlank();
    let prefix = '  '.repeat(Math.min(this.listLevel, MAX_VISIBLE_NESTING));
    if (this.marker) {
      const { counter, level } = this.marker;
      const indent = '  '.repeat(Math.min(Math.max(level - 1, 0), MAX_VISIBLE_NESTING));
      prefix = indent + (counter?.ordered ? `${counter.next++}. ` : '• ');
      this.marker = undefined;
    }
    this.current = { quoteDepth: this.quoteDepth, prefix, runs: [] };
    this.serial++;
    this.endsWithSpace = false;
    return this.current;
  }

  private flushBlank(): void {
    if (this.blankPending && this.lines.length > 0) {
      this.lines.push({
        quoteDepth: Math.min(this.blankDepth, this.quoteDepth),
        prefix: '',
        runs: [],
      });
    }
    this.blankPending = false;
  }

  private endLine(): void {
    const line = this.current;
    if (!line) return;
    const runs = line.runs;
    while (runs.length > 0) {
      const last = runs[runs.length - 1];
      last.text = trimEndSpace(last.text);
      if (last.text !== '') break;
      runs.pop();
    }
    this.lines.push(line);
    this.current = undefined;
    this.endsWithSpace = false;
  }
}

/** Trims trailing spaces, tabs and no-break spaces (a loop: `/\s+$/` is quadratic on long runs). */
export function trimEndSpace(text: string): string {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x09 && code !== 0xa0) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}
