/**
 * Turns an agent's reply (HubSpot's `text` and `richText`) into what an adapter sends: plain text
 * always, and the HTML subset its manifest declares when its formatting is `html`.
 */
import type { OutboundCapabilities, RichTextFeature } from '../../core/adapter';
import { readAgentHtml, type InlineMarkTag } from './agent-html-reader';
import { escapeHtmlText } from './escape-html';
import { linesToHtmlSubset } from './html-subset-renderer';
import { linesToPlainText } from './plain-text-renderer';

export interface AgentText {
  text: string;
  richText?: string;
}

export interface RenderedAgentText {
  /** Plain text: line breaks as newlines, links as "label (address)", lists as "• " lines. */
  text: string;
  /**
   * Present exactly when `formatting` is `html` (also when it holds no tags): b, i, u, a href,
   * br and blockquote, each only when its feature is declared; lists are "• " / "1. " lines.
   */
  html?: string;
}

const MARK_FEATURES: [RichTextFeature, InlineMarkTag][] = [
  ['BOLD', 'b'],
  ['ITALIC', 'i'],
  ['UNDERLINE', 'u'],
];
const NO_MARKS: ReadonlySet<InlineMarkTag> = new Set();

export function renderAgentText(
  input: AgentText,
  outbound: Pick<OutboundCapabilities, 'formatting' | 'richText'>,
): RenderedAgentText {
  const richText = input.richText?.trim() ? input.richText : undefined;
  const fromRichText =
    richText === undefined
      ? ''
      : linesToPlainText(readAgentHtml(richText, { marks: NO_MARKS, links: false }));
  // Rich text that yields nothing (say, only an image without an address) must not hide the text.
  const useRichText = fromRichText !== '' || input.text.trim() === '';
  const text = useRichText ? fromRichText : input.text;
  if (outbound.formatting !== 'html') return { text };

  if (!useRichText || richText === undefined) {
    return { text, html: escapeHtmlText(text).replace(/\r?\n/g, '<br>') };
  }
  const features = new Set(outbound.richText);
  const marks = new Set(MARK_FEATURES.filter(([f]) => features.has(f)).map(([, tag]) => tag));
  const lines = readAgentHtml(richText, { marks, links: features.has('HYPERLINK') });
  return { text, html: linesToHtmlSubset(lines, { blockquote: features.has('BLOCKQUOTE') }) };
}
