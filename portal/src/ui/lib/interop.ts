/**
 * Some packages ship ES modules without declaring "type": "module", so under NodeNext TypeScript
 * types their default import as `{ default: T }` while the bundler hands over T itself. This
 * returns T either way.
 */
export function interopDefault<T>(mod: { default: T }): T {
  const inner = (mod as { default?: T }).default;
  return inner === undefined ? (mod as unknown as T) : inner;
}
