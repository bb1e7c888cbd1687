import type { Request } from 'express';

/** Reads form/query values after express-openapi-validator's coercion. */

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function str(source: Record<string, unknown>, name: string): string | undefined {
  const value = source[name];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[value.length - 1]) : String(value);
}

export function strList(source: Record<string, unknown>, name: string): string[] | undefined {
  const value = source[name];
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function num(source: Record<string, unknown>, name: string): number | undefined {
  const value = str(source, name);
  return value === undefined ? undefined : Number(value);
}

export function param(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}
