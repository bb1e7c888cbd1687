import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The popup's only style sheet; inline, allowed by its hash in the CSP (no external assets). */
export const PAGE_STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;color:#1f2933;background:#fff}',
  'main{max-width:32rem;margin:0 auto}',
  'h1{font-size:1.4rem;margin:0 0 .5rem}',
  '.field{margin:1rem 0}',
  'label{display:block;font-weight:600}',
  'input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #52606d;border-radius:4px}',
  'input:focus,button:focus,[tabindex]:focus{outline:3px solid #1a73e8;outline-offset:2px}',
  'input[aria-invalid=true]{border-color:#b3261e}',
  '.help{color:#3e4c59;font-size:.9rem;margin:.25rem 0 0}',
  '.field-error{color:#b3261e;font-size:.9rem;margin:.25rem 0 0}',
  '.errors{border:2px solid #b3261e;border-radius:4px;padding:.75rem 1rem;margin:1rem 0;background:#fdecea}',
  '.errors h2{font-size:1.05rem;margin:0 0 .25rem}',
  'button{padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#1a5fb4;border:0;border-radius:4px;cursor:pointer}',
].join('');

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE).digest('base64');

/**
 * The popup's Content-Security-Policy: nothing loads except the inline style above; forms post
 * only to the gateway and redirect only to `formTarget` (Chromium checks `form-action` on the
 * redirect after a POST, so the HubSpot origin of `redirectUrl` must be listed).
 */
export function contentSecurityPolicy(formTargets: string[] = []): string {
  const formAction = ["'self'", ...formTargets].join(' ');
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'self' https://*.hubspot.com",
  ].join('; ');
}

/** A complete page around `body`. */
export function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<main>${body}</main>`,
    '</body>',
    '</html>',
  ].join('\n');
}
