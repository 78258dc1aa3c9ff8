/**
 * Typed errors. Every message is a sentence a user can act on: it names the input
 * (file name when known) and what is wrong with it.
 */
export type SerErrorCode =
  | "wav-format"
  | "wav-unsupported"
  | "wav-truncated"
  | "audio-format"
  | "invalid-config"
  | "invalid-input"
  | "device-lost";

export class SerError extends Error {
  readonly code: SerErrorCode;
  /** The file (or zip entry) the error is about, when known. */
  readonly source: string | undefined;

  constructor(code: SerErrorCode, message: string, source?: string) {
    super(source === undefined ? message : `${source}: ${message}`);
    this.name = "SerError";
    this.code = code;
    this.source = source;
  }
}

/** Raised when bytes are not a WAV file this decoder can read. */
export class WavDecodeError extends SerError {
  constructor(code: "wav-format" | "wav-unsupported" | "wav-truncated", message: string, source?: string) {
    super(code, message, source);
    this.name = "WavDecodeError";
  }
}

/** Raised when bytes are not audio this project can decode (names the file, the format and the problem). */
export class AudioDecodeError extends SerError {
  constructor(message: string, source?: string) {
    super("audio-format", message, source);
    this.name = "AudioDecodeError";
  }
}

/** Raised when a feature or resampler configuration is invalid (names the field and the value). */
export class ConfigError extends SerError {
  constructor(message: string) {
    super("invalid-config", message);
    this.name = "ConfigError";
  }
}

/** Checks a config field is a positive integer, naming it otherwise. */
export function requirePositiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

/** Checks a config field is a finite number in [min, max]. */
export function requireInRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  }
  return value;
}
