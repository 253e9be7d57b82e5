/** Type guards for parsed JSON. */

/** A JSON object: not null, not an array, not a class instance (Date, Map...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
