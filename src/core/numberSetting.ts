/**
 * A numeric setting read within its schema. VS Code shows a schema's bounds in the settings editor but
 * hands extensions whatever a settings file holds, so `0`, `-1`, `"abc"` or a 24-day timeout arrive as written.
 */

/** The part of a setting's JSON schema (package.json `contributes.configuration`) that bounds a number. */
export interface NumberSchema {
  readonly type?: string | readonly string[];
  readonly default: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** `value` clamped to the schema's bounds (rounded for an integer); the default for anything that is not a finite number. */
export function boundedNumber(value: unknown, schema: NumberSchema): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return schema.default;
  }
  const whole = schema.type === 'integer' ? Math.round(value) : value;
  return Math.min(schema.maximum ?? Infinity, Math.max(schema.minimum ?? -Infinity, whole));
}
