/** Writes laid-out lines as plain text: quotes as "> " lines, links already written as text. */
import { MAX_VISIBLE_NESTING, trimEndSpace, type Line } from './text-layout';

export function linesToPlainText(lines: readonly Line[]): string {
  return lines.map(lineToPlainText).join('\n');
}

function lineToPlainText(line: Line): string {
  const quote = '> '.repeat(Math.min(line.quoteDepth, MAX_VISIBLE_NESTING));
  if (line.runs.length === 0) return quote.trimEnd();
  let text = quote + line.prefix;
  for (const run of line.runs) text += run.text;
  // No-break spaces from the editor are ordinary spaces to a messenger (and not GSM-7 in SMS).
  return trimEndSpace(text.replace(/\u00a0/g, ' '));
}
