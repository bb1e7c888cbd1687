import type { ApiMethod } from '../spec/api-spec';
import type { RawParams } from '../http/uploaded-file';
import type { BotState } from '../state/bot-state';
import type { SimulatorEngine } from '../simulator-engine';

export type Params = Record<string, unknown>;

export interface MethodContext {
  engine: SimulatorEngine;
  bot: BotState;
  method: ApiMethod;
  /** Parameters validated and coerced against api.json. */
  params: Params;
  raw: RawParams;
  /** Aborted when the HTTP client goes away (ends held long polls). */
  signal: AbortSignal;
}

export interface MethodOutcome {
  result: unknown;
  /** Extra `description` Telegram puts next to some results ("Webhook was set"). */
  description?: string;
}

export type MethodHandler = (ctx: MethodContext) => MethodOutcome | Promise<MethodOutcome>;

export const ok = (result: unknown, description?: string): MethodOutcome =>
  description === undefined ? { result } : { result, description };

/** Typed reads of already validated parameters. */
export function str(params: Params, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

export function int(params: Params, name: string): number | undefined {
  const v = params[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(params: Params, name: string): boolean {
  return params[name] === true;
}

export function obj(params: Params, name: string): Params | undefined {
  const v = params[name];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Params) : undefined;
}

export function list(params: Params, name: string): unknown[] | undefined {
  const v = params[name];
  return Array.isArray(v) ? v : undefined;
}
