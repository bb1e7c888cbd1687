/**
 * Settings of the `adapters.echo` config section.
 */
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

function IsRegExpSource(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegExpSource',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            new RegExp(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: () => '$property must be a valid regular expression',
      },
    },
    options,
  );
}

export class EchoSettings {
  /** Base URL of an Echo platform server. Unset: the adapter starts one in-process. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  platformUrl?: string;

  /** Port of the in-process platform when `platformUrl` is unset (default 0: any free port). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  embeddedPlatformPort?: number;

  /** The simulated customer answers every agent message with "Echo: <text>" (demos). */
  @IsOptional()
  @IsBoolean()
  autoReply?: boolean;

  /** Agent messages whose text matches this regular expression fail permanently (demos, tests). */
  @IsOptional()
  @IsString()
  @IsRegExpSource()
  failSendsMatching?: string;
}
