import type { DbOrTx } from "./client.js";

/**
 * Prepared statements kept per database handle and per key (a statement's shape, e.g. which
 * filters it has): the SQL text is built once and, when the statement is named, PostgreSQL plans
 * it once per connection instead of on every call. `build` makes the statement for a handle and key.
 */
export function preparedFor<H extends DbOrTx, S>(build: (db: H, key: string) => S): (db: H, key?: string) => S {
  const byDb = new WeakMap<H, Map<string, S>>();
  return (db, key = "") => {
    let statements = byDb.get(db);
    if (!statements) {
      statements = new Map();
      byDb.set(db, statements);
    }
    let statement = statements.get(key);
    if (!statement) {
      statement = build(db, key);
      statements.set(key, statement);
    }
    return statement;
  };
}
