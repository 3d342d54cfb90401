// Usage history, price list and auto-approval rules (migration 0012_usage_reports).
import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Resource } from "./enums.js";
import { resourceEnum } from "./enums.js";
import { departments, users } from "./org.js";
import { informationSystems } from "./systems.js";

export const USAGE_RESOLUTIONS = ["5m", "1h", "1d"] as const;
export type UsageResolution = (typeof USAGE_RESOLUTIONS)[number];

/**
 * One point of a system's usage series for one resource: the average and peak of what was used
 * and granted over the bucket starting at `bucket`, from `samples` readings. The controller writes
 * 5-minute points; its retention job rolls them up into hourly and daily points.
 */
export const usagePoints = pgTable(
  "usage_points",
  {
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    resource: resourceEnum("resource").notNull(),
    resolution: text("resolution").$type<UsageResolution>().notNull(),
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    samples: integer("samples").notNull(),
    usedAvg: doublePrecision("used_avg").notNull(),
    usedMax: doublePrecision("used_max").notNull(),
    grantedAvg: doublePrecision("granted_avg").notNull(),
    grantedMax: doublePrecision("granted_max").notNull(),
  },
  (t) => [
    primaryKey({ name: "usage_points_pk", columns: [t.systemId, t.resource, t.bucket, t.resolution] }),
    index("usage_points_department_bucket").on(t.departmentId, t.resource, t.bucket),
    index("usage_points_resolution_bucket").on(t.resolution, t.bucket),
    check("usage_points_resolution", sql`${t.resolution} in ('5m', '1h', '1d')`),
    check("usage_points_samples_positive", sql`${t.samples} > 0`),
    check("usage_points_non_negative", sql`${t.usedAvg} >= 0 and ${t.usedMax} >= 0 and ${t.grantedAvg} >= 0 and ${t.grantedMax} >= 0`),
  ],
);

/** Prices per unit-hour of each resource (CNY). Every edit is a new version; the highest is in force. */
export const priceLists = pgTable(
  "price_lists",
  {
    version: integer("version").primaryKey(),
    prices: jsonb("prices").$type<Record<Resource, number>>().notNull(),
    currency: text("currency").notNull().default("CNY"),
    note: text("note"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("price_lists_version_positive", sql`${t.version} > 0`)],
);

/** A rule that takes the ops approval stage for one department's requests (off until enabled). */
export const autoApprovalRules = pgTable(
  "auto_approval_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    enabled: boolean("enabled").notNull().default(false),
    maxLevel: integer("max_level").notNull().default(2),
    requireHeadroom: boolean("require_headroom").notNull().default(true),
    maxGrowthPct: integer("max_growth_pct"),
    minUsagePct: integer("min_usage_pct"),
    minUsageDays: integer("min_usage_days"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("auto_approval_rules_department").on(t.departmentId),
    check("auto_rules_level", sql`${t.maxLevel} between 1 and 2`),
    check("auto_rules_name_length", sql`char_length(${t.name}) between 1 and 64`),
    check("auto_rules_growth", sql`${t.maxGrowthPct} is null or ${t.maxGrowthPct} between 0 and 1000`),
    check(
      "auto_rules_usage",
      sql`(${t.minUsagePct} is null) = (${t.minUsageDays} is null) and (${t.minUsagePct} is null or (${t.minUsagePct} between 0 and 100 and ${t.minUsageDays} between 1 and 90))`,
    ),
  ],
);
