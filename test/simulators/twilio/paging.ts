/** Twilio's list envelope: `{<key>: [...], page, page_size, start, end, uri, first_page_uri, next_page_uri, previous_page_uri}`. */

export interface PageRequest {
  /** Path of the list resource, e.g. /2010-04-01/Accounts/AC…/Messages.json */
  path: string;
  /** Filters to carry into the page URIs (already validated). */
  filters: Record<string, string>;
  pageSize: number;
  page: number;
}

function pageUri(req: PageRequest, page: number): string {
  const query = new URLSearchParams({
    ...req.filters,
    PageSize: String(req.pageSize),
    Page: String(page),
  });
  if (page > 0) query.set('PageToken', `PA${page * req.pageSize}`);
  return `${req.path}?${query.toString()}`;
}

export function pageOf<T>(key: string, all: T[], req: PageRequest): Record<string, unknown> {
  const start = req.page * req.pageSize;
  const items = all.slice(start, start + req.pageSize);
  const hasNext = start + req.pageSize < all.length;
  return {
    [key]: items,
    end: items.length ? start + items.length - 1 : start,
    first_page_uri: pageUri(req, 0),
    next_page_uri: hasNext ? pageUri(req, req.page + 1) : null,
    page: req.page,
    page_size: req.pageSize,
    previous_page_uri: req.page > 0 ? pageUri(req, req.page - 1) : null,
    start,
    uri: pageUri(req, req.page),
  };
}

export function pageParams(query: Record<string, unknown>): { pageSize: number; page: number } {
  const size = Number(query.PageSize ?? 50);
  const page = Number(query.Page ?? 0);
  return {
    pageSize: Number.isInteger(size) && size > 0 ? Math.min(size, 1000) : 50,
    page: Number.isInteger(page) && page >= 0 ? page : 0,
  };
}
