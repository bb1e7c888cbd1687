/**
 * Where the popup may send the browser after a successful connection (spec 4.3 step 4), so the
 * gateway never becomes an open redirect:
 * - `https:` URLs on `hubspot.com`, `hubapi.com` or one of their subdomains (HubSpot's own
 *   `redirectUrl`, e.g. `https://app.hubspot.com/...`, `https://app-eu1.hubspot.com/...`);
 * - any URL on the exact origin of HUBSPOT_API_BASE_URL (the simulator in tests, which serves
 *   plain http on loopback).
 * Everything else (other hosts, `javascript:`, credentials in the URL...) is refused.
 */
const HUBSPOT_DOMAINS = ['hubspot.com', 'hubapi.com'];

export function isAllowedRedirect(redirectUrl: string, hubspotApiBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (sameOrigin(url, hubspotApiBaseUrl)) return true;
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return HUBSPOT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function sameOrigin(url: URL, base: string): boolean {
  try {
    return new URL(base).origin === url.origin;
  } catch {
    return false;
  }
}
