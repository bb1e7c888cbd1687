const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

export interface SuccessPage {
  portalId: string;
  scopes: readonly string[];
}

export interface ErrorPage {
  /** Short heading, e.g. "HubSpot refused the installation". */
  title: string;
  /** What happened, in plain words. */
  message: string;
  /** HubSpot's error code (`error` query or OAuth `status`), when there is one. */
  code?: string;
  /** HubSpot's correlation id, for support requests. */
  correlationId?: string;
  /** Link to start again (the install route), when retrying can help. */
  retryUrl?: string;
}

/** Headers for every page of the flow: not cached, no referrer (the URL holds the code). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1f2933}h1{font-size:1.5rem}dt{font-weight:600}dd{margin:0 0 .5rem}
code{background:#f0f2f4;padding:0 .25rem}a{color:#0b5cad}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · HubSpot messenger gateway</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The app is installed: which portal, and what to do next. */
export function renderSuccessPage(page: SuccessPage): string {
  const scopes = page.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return layout(
    'App installed',
    `<h1 id="installed">The app is installed</h1>
<p role="status">HubSpot account <strong id="portal-id">${escapeHtml(page.portalId)}</strong> is now connected to this gateway.</p>
<h2>Next step</h2>
<p>In HubSpot, open <strong>Settings → Inbox &amp; Help Desk → Inboxes</strong> (or <strong>Help Desk</strong>), choose <strong>Connect a channel</strong> and pick this gateway's channel to connect a messenger account.</p>
${scopes ? `<details><summary>Granted scopes</summary><ul>${scopes}</ul></details>` : ''}`,
  );
}

/** The install failed: a readable explanation, HubSpot's code and correlation id if any. */
export function renderErrorPage(page: ErrorPage): string {
  const details = [
    page.code ? `<dt>Error code</dt><dd><code>${escapeHtml(page.code)}</code></dd>` : '',
    page.correlationId
      ? `<dt>HubSpot correlation id</dt><dd><code>${escapeHtml(page.correlationId)}</code></dd>`
      : '',
  ].join('');
  const retry = page.retryUrl
    ? `<p><a href="${escapeHtml(page.retryUrl)}">Start the installation again</a></p>`
    : '';
  return layout(
    page.title,
    `<h1 id="failed">${escapeHtml(page.title)}</h1>
<p role="alert">${escapeHtml(page.message)}</p>
${details ? `<dl>${details}</dl>` : ''}
${retry}`,
  );
}
