/**
 * Huge and hostile inputs finish quickly (linear time). Each input is large enough that the
 * quadratic behaviours this code avoids (htmlparser2's Parser stack, re-reading long strings,
 * backtracking regular expressions) would take far longer than the budget.
 */
import type { OutboundCapabilities } from '../../core/adapter';
import { renderAgentText } from './render-agent-text';
import { sanitizeCustomerHtml } from './sanitize-customer-html';

const ALL: Pick<OutboundCapabilities, 'formatting' | 'richText'> = {
  formatting: 'html',
  richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'UNDERLINE', 'BLOCKQUOTE', 'LISTS'],
};
/**
 * About 1 s each on an idle 2-core machine, 3 s when it is very busy; the old quadratic paths
 * took well over 10 s at these sizes.
 */
const BUDGET_MS = 8000;
const MB = 1_000_000;

const repeatTo = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length));

function timed<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

describe('rich text on huge input', () => {
  jest.setTimeout(60_000);

  it('renders a 1 MB HubSpot reply in time, keeping all of it', () => {
    const unit =
      '<p>Hello <strong>Anna</strong>, see <a href="https://example.com/docs">the docs</a> &amp; <em>more</em>.<br>Line two</p><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>';
    const html = repeatTo(unit, MB);
    const units = html.length / unit.length;
    const { result, ms } = timed(() => renderAgentText({ text: '', richText: html }, ALL));
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(result.text.match(/the docs \(https:\/\/example\.com\/docs\)/g)).toHaveLength(units);
    expect(result.html?.match(/<blockquote>quoted<\/blockquote>/g)).toHaveLength(units);
  });

  it('sanitizes 1 MB of customer HTML in time', () => {
    const html = repeatTo('<div><b>bold</b> <a href="https://x.io">x</a> text</div>\n', MB);
    const { result, ms } = timed(() => sanitizeCustomerHtml(html));
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(result.match(/<b>bold<\/b>/g)?.length).toBe(html.match(/<b>bold<\/b>/g)?.length);
  });

  it.each([
    ['nested inline elements', repeatTo('<span><b>x', MB)],
    ['nested quotes', repeatTo('<blockquote>x', MB)],
    ['nested lists', repeatTo('<ul><li>x', MB)],
    [
      'deep nesting, then closing tags of elements never opened',
      '<div>x'.repeat(150_000) + '</i>'.repeat(150_000),
    ],
    [
      'many links whose label is their address',
      repeatTo('<a href="https://x.io">x.io</a> ', 2 * MB),
    ],
    ['one link with a huge label', `<a href="https://x.io">${'x.io '.repeat(200_000)}</a>`],
    ['unclosed links', repeatTo('<a href="https://x.io">x', MB)],
    ['a long run of spaces in preformatted text', `<pre>${' '.repeat(MB)}x</pre>`],
    ['a long run of spaces', `x${' '.repeat(MB)}x`],
    ['many line breaks', repeatTo('<br>', MB)],
    ['many unclosed paragraphs', repeatTo('<p>x', MB)],
    ['one huge attribute', `<a href="https://x.io/${'a'.repeat(MB)}">x</a>`],
  ])('handles %s in time', (_name, html) => {
    const rendered = timed(() => renderAgentText({ text: '', richText: html }, ALL));
    const sanitized = timed(() => sanitizeCustomerHtml(html));
    expect(rendered.ms).toBeLessThan(BUDGET_MS);
    expect(sanitized.ms).toBeLessThan(BUDGET_MS);
    // What is visible survives: every "x" of the input (there is none in the <br> case).
    const visible = html.replace(/<[^>]*>/g, '').split('x').length - 1;
    expect(rendered.result.text.split('x').length - 1).toBeGreaterThanOrEqual(visible);
    expect(sanitized.result.split('x').length - 1).toBeGreaterThanOrEqual(visible);
  });
});
