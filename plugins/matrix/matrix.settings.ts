/**
 * Settings of the `adapters.matrix` config section.
 */
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MATRIX_MODES = ['bot', 'appservice'] as const;
export type MatrixMode = (typeof MATRIX_MODES)[number];

export class MatrixSettings {
  /**
   * `bot` (default): one ordinary account per channel account, receiving through /sync.
   * `appservice`: one application-service registration per channel account, receiving the
   * homeserver's pushed transactions (registration file: `matrix:registration`).
   */
  @IsOptional()
  @IsIn(MATRIX_MODES)
  mode?: MatrixMode;

  /** How long one /sync long-poll waits for news, in ms (default 30000). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  syncTimeoutMs?: number;

  /** First delay before retrying a failed /sync, doubled up to 60 s (default 1000). */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(60_000)
  syncRetryDelayMs?: number;

  /** Join rooms the bot is invited to (default true), in both modes. */
  @IsOptional()
  @IsBoolean()
  autoJoin?: boolean;
}
