import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set for a temporary password (new account, administrator reset): changed at the next sign-in. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** TOTP secret, AES-256-GCM sealed (auth/secrets.ts); never returned once enrolled. */
    totpSecret: text("totp_secret"),
    /** A secret shown for enrolment, confirmed by a first code before it counts. */
    totpPendingSecret: text("totp_pending_secret"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** The last TOTP time step accepted: a code is good once. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    /** Marked by the system admin for SSO: the IdP username expected at the first SSO login. */
    ssoUsername: text("sso_username"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    lastLoginIp: text("last_login_ip"),
    lastFailedLoginAt: timestamp("last_failed_login_at", { withTimezone: true }),
    lastFailedLoginIp: text("last_failed_login_ip"),
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
    /** The previous successful and last failed sign-in as they were when this session began. */
    notice: jsonb("notice").$type<SignInNotice>(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export interface SignInNotice {
  lastLogin: { at: string; ip: string | null } | null;
  lastFailed: { at: string; ip: string | null } | null;
}

/** Earlier password hashes of an account, so a change cannot go back to a recent one. */
export const passwordHistory = pgTable(
  "password_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("password_history_user").on(t.userId, t.id)],
);

/** One-time recovery codes for the second factor, stored as salted SHA-256. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("recovery_codes_user").on(t.userId)],
);

/**
 * A sign-in between its first and last step (second factor, password change, enrolment): no
 * session exists until it completes. The cookie token is stored as SHA-256.
 */
export const signInChallenges = pgTable(
  "sign_in_challenges",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    method: text("method").notNull(),
    secondFactorDone: boolean("second_factor_done").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ip: text("ip"),
  },
  (t) => [index("sign_in_challenges_user").on(t.userId)],
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
