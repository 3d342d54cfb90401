import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { resourceEnum, roleEnum } from "./enums.js";

export const departments = pgTable("departments", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The most a department may hold of each resource, set by platform ops. */
export const departmentCeilings = pgTable(
  "department_ceilings",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    resource: resourceEnum("resource").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.resource] }), check("ceiling_non_negative", sql`${t.amount} >= 0`)],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull().unique(),
    displayName: text("display_name").notNull(),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    passwordHash: text("password_hash"),
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_oidc_identity").on(t.oidcIssuer, t.oidcSubject),
    index("users_department").on(t.departmentId),
    check("failed_logins_non_negative", sql`${t.failedLogins} >= 0`),
  ],
);

export const roleAssignments = pgTable(
  "role_assignments",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.role] }),
    // 三员分立: one person holds at most one of system admin, security officer, auditor.
    uniqueIndex("role_assignments_separation_of_duties").on(t.userId).where(sql`${t.role} in ('sysadmin', 'security', 'auditor')`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/** Platform-wide settings: cluster capacity per resource and the zone address pools. */
export const clusterCapacity = pgTable(
  "cluster_capacity",
  {
    resource: resourceEnum("resource").primaryKey(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [check("capacity_non_negative", sql`${t.amount} >= 0`)],
);
