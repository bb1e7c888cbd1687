/**
 * Writes laid-out lines as the HTML subset adapters render: b, i, u, a href, br and blockquote.
 * Lines are joined by <br>; every line closes the marks it opened, so the output is always well
 * nested. With blockquotes enabled, quoted lines go inside one <blockquote> (deeper levels as
 * "> ", since platforms such as Telegram do not nest quotes); otherwise they read "> ".
 */
import { escapeHtmlAttribute, escapeHtmlText } from './escape-html';
import { MAX_VISIBLE_NESTING, type Line, type Mark, type Run } from './text-layout';

export interface HtmlSubsetOptions {
  blockquote: boolean;
}

export function linesToHtmlSubset(lines: readonly Line[], options: HtmlSubsetOptions): string {
  if (!options.blockquote) {
    return lines.map((line) => lineToHtml(line, line.quoteDepth)).join('<br>');
  }
  let html = '';
  let index = 0;
  while (index < lines.length) {
    const quoted = lines[index].quoteDepth > 0;
    let end = index;
    while (end < lines.length && lines[end].quoteDepth > 0 === quoted) end++;
    const group = trimBlankLines(lines.slice(index, end));
    const body = group
      .map((line) => lineToHtml(line, quoted ? line.quoteDepth - 1 : 0))
      .join('<br>');
    // The blockquote is a block of its own: no <br> needed around it.
    html += quoted ? `<blockquote>${body}</blockquote>` : body;
    index = end;
  }
  return html;
}

function trimBlankLines(lines: Line[]): Line[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].runs.length === 0) start++;
  while (end > start && lines[end - 1].runs.length === 0) end--;
  return lines.slice(start, end);
}

function lineToHtml(line: Line, quotePrefixes: number): string {
  if (line.runs.length === 0) return '';
  const quote = '> '.repeat(Math.min(quotePrefixes, MAX_VISIBLE_NESTING));
  const prefix = keepLeadingSpaces(quote + line.prefix);
  const [first, ...rest] = line.runs;
  // Only indentation and preformatted text put spaces at a line start.
  const runs =
    prefix === '' ? [{ ...first, text: keepLeadingSpaces(first.text) }, ...rest] : line.runs;
  return escapeHtmlText(prefix) + runsToHtml(runs);
}

/** Leading spaces as no-break spaces: HTML readers collapse ordinary ones. */
function keepLeadingSpaces(text: string): string {
  return text.replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length));
}

/** Marks shared with the previous run stay open; the rest close (innermost first) and reopen. */
function runsToHtml(runs: readonly Run[]): string {
  let html = '';
  let open: readonly Mark[] = [];
  for (const run of runs) {
    let common = 0;
    while (
      common < open.length &&
      common < run.marks.length &&
      sameMark(open[common], run.marks[common])
    ) {
      common++;
    }
    html += closeTags(open, common);
    for (let index = common; index < run.marks.length; index++) html += openTag(run.marks[index]);
    open = run.marks;
    html += escapeHtmlText(run.text);
  }
  return html + closeTags(open, 0);
}

function closeTags(open: readonly Mark[], keep: number): string {
  let html = '';
  for (let index = open.length - 1; index >= keep; index--) html += `</${open[index].tag}>`;
  return html;
}

function openTag(mark: Mark): string {
  return mark.tag === 'a' ? `<a href="${escapeHtmlAttribute(mark.href)}">` : `<${mark.tag}>`;
}

function sameMark(a: Mark, b: Mark): boolean {
  if (a.tag === 'a' || b.tag === 'a') {
    return a.tag === 'a' && b.tag === 'a' && a.href === b.href;
  }
  return a.tag === b.tag;
}
