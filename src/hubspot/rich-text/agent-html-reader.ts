/**
 * Reads the HTML an agent wrote in HubSpot's editor into laid-out lines: blocks, lists, quotes,
 * links and images become text structure; bold, italic, underline and links stay as marks only
 * when the caller keeps them. Tags it does not know keep their text.
 */
import { HEADINGS, readHtml, type HtmlEventHandler } from '../../core/adapter';
import { classifyHref, displayHref, labelIsAddress, type LinkTarget } from './link-policy';
import {
  TextLayout,
  type BlockKind,
  type LayoutPosition,
  type Line,
  type ListCounter,
  type Mark,
} from './text-layout';

export type InlineMarkTag = 'b' | 'i' | 'u';

export interface AgentHtmlReadOptions {
  /** Inline marks kept; empty for plain text. */
  marks: ReadonlySet<InlineMarkTag>;
  /** Safe links stay marks; otherwise every link is written as "label (address)". */
  links: boolean;
}

const INLINE_MARKS: Record<string, InlineMarkTag> = {
  b: 'b',
  strong: 'b',
  i: 'i',
  em: 'i',
  u: 'u',
  ins: 'u',
};

/** Blocks with space around them (a blank line, or a line break inside lists). */
const PARAGRAPHS = new Set([
  'p',
  'pre',
  ...HEADINGS,
  'table',
  'hr',
  'dl',
  'figure',
  'address',
  'fieldset',
  'details',
]);

/** Blocks without space around them: they only end lines. */
const LINES = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'tr',
  'dt',
  'dd',
  'caption',
  'figcaption',
  'summary',
  'center',
]);

interface TextLink {
  target: LinkTarget;
  label: string;
  start: LayoutPosition;
}

/** What an open element changed, undone when it closes. */
interface Frame {
  name: string;
  marksBefore?: readonly Mark[];
  link?: TextLink;
  block?: BlockKind;
  quote?: boolean;
  list?: boolean;
  item?: boolean;
  pre?: boolean;
  /** Cells seen in the enclosing row before this row started (tables nest). */
  outerRowCells?: number;
}

export function readAgentHtml(html: string, options: AgentHtmlReadOptions): Line[] {
  const reader = new AgentHtmlReader(options);
  readHtml(html, reader);
  return reader.finish();
}

class AgentHtmlReader implements HtmlEventHandler {
  private readonly layout = new TextLayout();
  private readonly frames: Frame[] = [];
  private readonly lists: ListCounter[] = [];
  private marks: readonly Mark[] = [];
  /** The open link written as text, if any (links do not nest). */
  private link: TextLink | undefined;
  private preDepth = 0;
  /** A newline right after `<pre>` is not content. */
  private atPreStart = false;
  private rowCells = 0;

  constructor(private readonly options: AgentHtmlReadOptions) {}

  open(name: string, attributes: Record<string, string>): void {
    const frame: Frame = { name };
    this.frames.push(frame);
    const mark = INLINE_MARKS[name];
    if (mark !== undefined) {
      if (this.options.marks.has(mark) && !this.marks.some((open) => open.tag === mark)) {
        this.pushMark(frame, { tag: mark });
      }
    } else if (name === 'a') {
      this.openLink(frame, attributes.href);
    } else if (name === 'br') {
      this.layout.lineBreak();
    } else if (name === 'img') {
      this.writeImage(attributes.src, attributes.alt);
    } else if (name === 'li') {
      this.layout.startListItem(this.lists[this.lists.length - 1]);
      frame.item = true;
    } else if (name === 'ul' || name === 'ol') {
      this.layout.blockBoundary(this.spacing());
      const start = name === 'ol' ? Number.parseInt(attributes.start ?? '', 10) : NaN;
      this.lists.push({ ordered: name === 'ol', next: Number.isSafeInteger(start) ? start : 1 });
      this.layout.listLevel++;
      frame.list = true;
    } else if (name === 'blockquote') {
      this.layout.blockBoundary(this.spacing());
      this.layout.quoteDepth++;
      frame.quote = true;
    } else if (PARAGRAPHS.has(name) || LINES.has(name)) {
      frame.block = LINES.has(name) ? 'line' : this.spacing();
      this.layout.blockBoundary(frame.block);
      if (name === 'pre') {
        frame.pre = true;
        this.preDepth++;
        this.atPreStart = true;
      }
      if (name === 'tr') {
        frame.outerRowCells = this.rowCells;
        this.rowCells = 0;
      }
    } else if (name === 'td' || name === 'th') {
      if (this.rowCells++ > 0) this.write(' | ');
    }
  }

  text(text: string): void {
    if (this.preDepth > 0) {
      const content = this.atPreStart ? text.replace(/^\r?\n/, '') : text;
      this.atPreStart = false;
      if (this.link) this.link.label += content;
      this.layout.writePreformatted(content, this.marks);
    } else {
      this.write(text);
    }
  }

  close(name: string): void {
    // Events are balanced, so the top frame is the one closing; search only as a safeguard.
    let index = this.frames.length - 1;
    while (index >= 0 && this.frames[index].name !== name) index--;
    if (index < 0) return;
    while (this.frames.length > index) this.undo(this.frames.pop() as Frame);
  }

  finish(): Line[] {
    while (this.frames.length > 0) this.undo(this.frames.pop() as Frame);
    return this.layout.finish();
  }

  private undo(frame: Frame): void {
    if (frame.marksBefore) this.marks = frame.marksBefore;
    if (frame.link) this.closeLink(frame.link);
    if (frame.item) this.layout.endListItem();
    if (frame.list) {
      this.lists.pop();
      this.layout.listLevel--;
      this.layout.blockBoundary(this.spacing());
    }
    if (frame.quote) {
      this.layout.quoteDepth--;
      this.layout.blockBoundary(this.spacing());
    }
    if (frame.block) this.layout.blockBoundary(frame.block);
    if (frame.pre) this.preDepth--;
    if (frame.outerRowCells !== undefined) this.rowCells = frame.outerRowCells;
  }

  /** Paragraph spacing, except inside lists, which stay compact. */
  private spacing(): BlockKind {
    return this.layout.listLevel > 0 ? 'line' : 'paragraph';
  }

  private write(text: string): void {
    if (this.link) this.link.label += text;
    this.layout.write(text, this.marks);
  }

  private pushMark(frame: Frame, mark: Mark): void {
    this.pushMarks(frame, [...this.marks, mark]);
  }

  private pushMarks(frame: Frame, marks: readonly Mark[]): void {
    frame.marksBefore = this.marks;
    this.marks = marks;
  }

  private insideLink(): boolean {
    return this.link !== undefined || this.marks.some((mark) => mark.tag === 'a');
  }

  private openLink(frame: Frame, href: string | undefined): void {
    // A link inside a link (invalid HTML) keeps its text only.
    if (this.insideLink()) return;
    const target = classifyHref(href);
    if (this.options.links && target.kind === 'link') {
      this.pushMark(frame, { tag: 'a', href: target.href });
      return;
    }
    // A marks array of its own keeps the label in runs of its own, so it can be replaced cheaply.
    this.pushMarks(frame, [...this.marks]);
    frame.link = { target, label: '', start: this.layout.position() };
    this.link = frame.link;
  }

  /** A link written as text: "label (address)", or just the address when the label says it. */
  private closeLink(link: TextLink): void {
    this.link = undefined;
    if (link.target.kind === 'drop') return;
    const address = displayHref(link.target.href);
    const label = link.label.trim();
    if (label === '') {
      this.write(` ${address} `);
    } else if (!labelIsAddress(label, link.target.href)) {
      this.write(` (${address})`);
    } else {
      // Keep the spaces the label had around it, or the address runs into its neighbours.
      const before = /^\s/.test(link.label) ? ' ' : '';
      const after = /\s$/.test(link.label) ? ' ' : '';
      if (!this.layout.replaceSince(link.start, before + address + after, this.marks)) {
        this.write(` (${address})`);
      }
    }
  }

  /** Images become "[image: alt] (address)"; without a usable address just "[image: alt]". */
  private writeImage(src: string | undefined, alt: string | undefined): void {
    if (!src?.trim()) return;
    const description = (alt ?? '').replace(/\s+/g, ' ').trim();
    const label = description ? `[image: ${description}]` : '[image]';
    const target = classifyHref(src);
    const web = target.kind === 'link' && /^https?:/i.test(target.href);
    if (!web) {
      this.write(` ${label} `);
    } else if (this.options.links && !this.insideLink()) {
      this.write(' ');
      this.layout.write(label, [...this.marks, { tag: 'a', href: target.href }]);
      this.write(' ');
    } else {
      this.write(` ${label} (${target.href}) `);
    }
  }
}
