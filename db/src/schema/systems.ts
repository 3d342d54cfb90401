import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { zoneEnum } from "./enums.js";
import { departments, users } from "./org.js";

/** An information system (信息系统): one Kubernetes namespace, one MLPS protection level. */
export const informationSystems = pgTable(
  "information_systems",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    name: text("name").notNull(),
    purpose: text("purpose").notNull(),
    /** Protection level and zone as the department proposed them at registration. */
    proposedLevel: smallint("proposed_level").notNull(),
    proposedZone: zoneEnum("proposed_zone").notNull(),
    /**
     * The level and zone the platform applies: the proposal until a security officer grades the
     * system (定级), then the confirmed values. Nothing is provisioned before `graded`.
     */
    level: smallint("level").notNull(),
    graded: boolean("graded").notNull().default(false),
    gradedBy: uuid("graded_by").references(() => users.id),
    gradedAt: timestamp("graded_at", { withTimezone: true }),
    /** The 等保备案 filing number, required once graded at level 2 or above. */
    filingNumber: text("filing_number"),
    zone: zoneEnum("zone").notNull(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    namespace: text("namespace").notNull().unique(),
    /** Drift is recorded but not healed when set. */
    driftReportOnly: boolean("drift_report_only").notNull().default(false),
    retired: boolean("retired").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("systems_department_name").on(t.departmentId, t.name),
    index("systems_department").on(t.departmentId),
    check("level_range", sql`${t.level} between 1 and 4`),
    check("proposed_level_range", sql`${t.proposedLevel} between 1 and 4`),
    check(
      "graded_has_filing",
      sql`not ${t.graded} or (${t.gradedBy} is not null and ${t.gradedAt} is not null and (${t.level} < 2 or ${t.filingNumber} is not null))`,
    ),
    check("namespace_dns_label", sql`${t.namespace} ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'`),
  ],
);

/** A security officer's time-bound exemption of one policy control for one system. */
export const exemptions = pgTable(
  "exemptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    controlId: text("control_id").notNull(),
    reason: text("reason").notNull(),
    grantedBy: uuid("granted_by")
      .notNull()
      .references(() => users.id),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("exemptions_system").on(t.systemId), check("expires_after_grant", sql`${t.expiresAt} > ${t.grantedAt}`)],
);
