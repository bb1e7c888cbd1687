/**
 * What may become a link, and how a link is written as text. Only http, https, mailto and tel
 * survive as links; other absolute URLs are shown as text; script-capable schemes, relative
 * URLs and fragments are dropped (they mean nothing, or something harmful, outside HubSpot).
 */

export type LinkTarget =
  /** Safe to emit as `<a href>`. */
  | { kind: 'link'; href: string }
  /** A real address, but not one we emit as a link: shown as text. */
  | { kind: 'text'; href: string }
  /** Not worth showing: the label stays, the address goes. */
  | { kind: 'drop' };

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const DROPPED_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'file', 'blob', 'about']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:"). */
// eslint-disable-next-line no-control-regex
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f]/g;

export function classifyHref(raw: string | undefined): LinkTarget {
  const href = (raw ?? '').trim();
  const scheme = SCHEME.exec(href.replace(IGNORED_IN_SCHEME, ''))?.[1].toLowerCase();
  if (!scheme || DROPPED_SCHEMES.has(scheme)) return { kind: 'drop' };
  // A safe scheme with whitespace hidden inside it is not what it claims to be.
  if (!SCHEME.test(href)) return { kind: 'drop' };
  return LINK_SCHEMES.has(scheme) ? { kind: 'link', href } : { kind: 'text', href };
}

/** How an address reads in text: mailto and tel links as the bare address or number. */
export function displayHref(href: string): string {
  const match = /^(mailto|tel):([^?#]*)/i.exec(href);
  if (!match) return href;
  try {
    return decodeURIComponent(match[2]);
  } catch {
    return match[2];
  }
}

/** True when a link's label already says its address (ignoring scheme, case, trailing slash). */
export function labelIsAddress(label: string, href: string): boolean {
  const normalize = (value: string): string =>
    value
      .trim()
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/, '')
      .replace(/\/+$/, '');
  const wanted = normalize(label);
  return wanted !== '' && (wanted === normalize(href) || wanted === normalize(displayHref(href)));
}
