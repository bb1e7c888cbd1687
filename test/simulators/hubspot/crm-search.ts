import { validationError } from './errors';
import { paginate } from './routes/route';

/** One condition of a CRM search request (`Filter` in the documents). */
export interface CrmFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

/** `PublicObjectSearchRequest`: the body already passed OpenAPI validation, so all keys exist. */
export interface CrmSearchRequest {
  filterGroups: { filters: CrmFilter[] }[];
  properties: string[];
  limit: number;
  after: string;
  sorts: string[];
}

/** How one object type is searched: its property values, and how a property compares. */
export interface SearchableType<T> {
  valueOf(item: T, property: string): string | undefined;
  /** Canonical form for equality operators (e.g. emails ignore case); identity when absent. */
  normalizerOf?(property: string): ((value: string) => string) | undefined;
}

const MAX_FILTER_GROUPS = 6;
const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 10;

function compareNumbers(operator: string, a: number, b: number): boolean {
  if (operator === 'GT') return a > b;
  if (operator === 'GTE') return a >= b;
  if (operator === 'LT') return a < b;
  return a <= b;
}

/** Whether a property value satisfies one filter; `norm` applies to both sides of equality. */
export function matchesFilter(
  raw: string | undefined,
  f: CrmFilter,
  norm: (value: string) => string = (s) => s,
): boolean {
  const v = raw === undefined ? undefined : norm(raw);
  const wanted = f.value === undefined ? undefined : norm(f.value);
  const wantedList = (f.values ?? []).map(norm);
  switch (f.operator) {
    case 'EQ':
      return v !== undefined && v === wanted;
    case 'NEQ':
      return v !== wanted;
    case 'IN':
      return v !== undefined && wantedList.includes(v);
    case 'NOT_IN':
      return v === undefined || !wantedList.includes(v);
    case 'HAS_PROPERTY':
      return v !== undefined && v !== '';
    case 'NOT_HAS_PROPERTY':
      return v === undefined || v === '';
    case 'CONTAINS_TOKEN':
      return (
        v !== undefined &&
        v.toLowerCase().includes(
          String(f.value ?? '')
            .replace(/\*/g, '')
            .toLowerCase(),
        )
      );
    case 'GT':
    case 'GTE':
    case 'LT':
    case 'LTE': {
      const a = Number(v);
      const b = Number(f.value);
      return Number.isFinite(a) && Number.isFinite(b) && compareNumbers(f.operator, a, b);
    }
    default:
      return false;
  }
}

/**
 * Sort strings as the documents type them: `name` ascending, `-name` descending (the same
 * convention the Files API documents). Missing values sort last; ties keep creation order.
 */
function sortBy<T>(items: T[], sorts: string[], type: SearchableType<T>): T[] {
  const keys = sorts.map((s) => ({ name: s.replace(/^-/, ''), desc: s.startsWith('-') }));
  if (keys.length === 0) return items;
  return [...items].sort((x, y) => {
    for (const { name, desc } of keys) {
      const a = type.valueOf(x, name);
      const b = type.valueOf(y, name);
      if (a === b) continue;
      if (a === undefined) return 1;
      if (b === undefined) return -1;
      const both = Number(a) - Number(b);
      const order = Number.isFinite(both) ? Math.sign(both) : a < b ? -1 : 1;
      return desc ? -order : order;
    }
    return 0;
  });
}

/**
 * CRM search over one object type's live records: OR of filter groups, AND within a group, an
 * empty filter list matches everything; `total` plus cursor paging like HubSpot.
 */
export function searchObjects<T>(
  items: T[],
  body: CrmSearchRequest,
  type: SearchableType<T>,
): { total: number; results: T[]; paging?: { next: { after: string } } } {
  if (body.filterGroups.length > MAX_FILTER_GROUPS) {
    throw validationError(`Up to ${MAX_FILTER_GROUPS} filterGroups are allowed`);
  }
  const matches = (item: T, f: CrmFilter) =>
    matchesFilter(type.valueOf(item, f.propertyName), f, type.normalizerOf?.(f.propertyName));
  const found = items.filter(
    (item) =>
      body.filterGroups.length === 0 ||
      body.filterGroups.some((g) => g.filters.every((f) => matches(item, f))),
  );
  const sorted = sortBy(found, body.sorts, type);
  const page = paginate(sorted, body.after, Math.min(body.limit || DEFAULT_LIMIT, MAX_LIMIT));
  return { total: found.length, ...page };
}
