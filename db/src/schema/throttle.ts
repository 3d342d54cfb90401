import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed sign-ins per (login name as typed, source address). Repeated failures lock that name for
 * that source only: an attacker elsewhere cannot lock a named administrator out, and an unknown
 * name locks exactly as a known one does, so the answers do not tell them apart.
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    loginName: text("login_name").notNull(),
    source: text("source").notNull(),
    failures: integer("failures").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true, precision: 3 }),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "login_throttle_pk", columns: [t.loginName, t.source] }), index("login_throttle_updated").on(t.updatedAt)],
);
