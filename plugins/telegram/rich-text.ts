/**
 * A small rich-text model shared by both directions: text runs with the formatting marks that
 * apply to them (outermost first), and its rendering as HTML.
 */
export type MarkTag = 'b' | 'i' | 'u' | 's' | 'code' | 'pre' | 'a' | 'blockquote';

export interface Mark {
  tag: MarkTag;
  /** `a` only. */
  href?: string;
}

export interface Run {
  text: string;
  marks: Mark[];
}

const sameMark = (a: Mark, b: Mark): boolean => a.tag === b.tag && a.href === b.href;

/** Escapes text for Telegram HTML (and for the normalized HTML): &, <, >. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeHtmlAttribute(value: string): string {
  return escapeHtmlText(value).replace(/"/g, '&quot;');
}

function openTag(mark: Mark): string {
  return mark.tag === 'a' ? `<a href="${escapeHtmlAttribute(mark.href ?? '')}">` : `<${mark.tag}>`;
}

export interface RenderOptions {
  /** How a newline outside `pre` is written: '\n' for Telegram, '<br>' for normalized HTML. */
  newline: '\n' | '<br>';
}

/**
 * Renders runs as properly nested HTML: marks shared with the previous run stay open, the others
 * are closed (innermost first) and opened again as needed.
 */
export function renderRuns(runs: Run[], options: RenderOptions): string {
  let html = '';
  let open: Mark[] = [];
  for (const run of runs) {
    if (run.text === '') continue;
    let common = 0;
    while (
      common < open.length &&
      common < run.marks.length &&
      sameMark(open[common], run.marks[common])
    ) {
      common++;
    }
    for (let index = open.length - 1; index >= common; index--) html += `</${open[index].tag}>`;
    for (let index = common; index < run.marks.length; index++) html += openTag(run.marks[index]);
    open = run.marks;
    const inPre = run.marks.some((mark) => mark.tag === 'pre' || mark.tag === 'code');
    const escaped = escapeHtmlText(run.text);
    html += inPre || options.newline === '\n' ? escaped : escaped.replace(/\n/g, '<br>');
  }
  for (let index = open.length - 1; index >= 0; index--) html += `</${open[index].tag}>`;
  return html;
}

export function plainTextOf(runs: Run[]): string {
  return runs.map((run) => run.text).join('');
}

/** The runs between two offsets of their plain text (UTF-16 indices). */
export function sliceRuns(runs: Run[], start: number, end: number): Run[] {
  const out: Run[] = [];
  let position = 0;
  for (const run of runs) {
    const runStart = position;
    const runEnd = position + run.text.length;
    position = runEnd;
    if (runEnd <= start || runStart >= end) continue;
    const text = run.text.slice(
      Math.max(0, start - runStart),
      Math.min(run.text.length, end - runStart),
    );
    if (text) out.push({ text, marks: run.marks });
  }
  return out;
}
