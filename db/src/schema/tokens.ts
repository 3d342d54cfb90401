import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Role } from "./enums.js";
import { departments, users } from "./org.js";

/**
 * API tokens for integrations and automation. Only the SHA-256 of the secret is kept; the token
 * acts as its owner with at most the roles it was given, in the owner's department.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The first characters of the secret, to tell tokens apart in lists. */
    prefix: text("prefix").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    roles: text("roles").array().notNull().$type<Role[]>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id),
  },
  (t) => [
    index("api_tokens_department").on(t.departmentId, t.createdAt),
    index("api_tokens_user").on(t.userId),
    check("api_tokens_name_length", sql`char_length(${t.name}) between 1 and 64`),
    check(
      "api_tokens_roles_known",
      sql`cardinality(${t.roles}) > 0 and ${t.roles} <@ ARRAY['applicant', 'dept_admin', 'ops', 'security', 'auditor', 'sysadmin']::text[]`,
    ),
    check("api_tokens_expiry_after_creation", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);
