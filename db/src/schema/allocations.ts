import { sql } from "drizzle-orm";
import { bigint, bigserial, check, cidr, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { allocationPhaseEnum, resourceEnum, zoneEnum } from "./enums.js";
import { departments } from "./org.js";
import { resourceRequests } from "./requests.js";
import { informationSystems } from "./systems.js";

export interface Condition {
  type: "Ready" | "Reconciling" | "Stalled";
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** What is granted to one system: the controller's input. One row per system. */
export const allocations = pgTable(
  "allocations",
  {
    systemId: uuid("system_id")
      .primaryKey()
      .references(() => informationSystems.id),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    /** The request whose grant is being, or was last, applied. */
    requestId: uuid("request_id").references(() => resourceRequests.id),
    /** Bumped on every granted change; the controller reconciles until observed = generation. */
    generation: integer("generation").notNull().default(0),
    observedGeneration: integer("observed_generation").notNull().default(0),
    phase: allocationPhaseEnum("phase").notNull().default("pending"),
    conditions: jsonb("conditions").$type<Condition[]>().notNull().default([]),
    outputs: jsonb("outputs").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("allocations_department").on(t.departmentId), check("observed_le_generation", sql`${t.observedGeneration} <= ${t.generation}`)],
);

export const allocationItems = pgTable(
  "allocation_items",
  {
    systemId: uuid("system_id")
      .notNull()
      .references(() => allocations.systemId, { onDelete: "cascade" }),
    resource: resourceEnum("resource").notNull(),
    granted: bigint("granted", { mode: "number" }).notNull().default(0),
    /** Live usage reported back from the cluster (ResourceQuota status.used). */
    used: bigint("used", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.systemId, t.resource] }),
    check("granted_non_negative", sql`${t.granted} >= 0`),
    check("used_non_negative", sql`${t.used} >= 0`),
  ],
);

/** The address pool of each network zone; segments are carved from it. */
export const zonePools = pgTable("zone_pools", {
  zone: zoneEnum("zone").primaryKey(),
  cidr: cidr("cidr").notNull(),
});

/**
 * Network segments. An exclusion constraint (see the custom migration) forbids two live
 * segments of one zone from overlapping.
 */
export const networkSegments = pgTable(
  "network_segments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    zone: zoneEnum("zone").notNull(),
    cidr: cidr("cidr").notNull(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    requestId: uuid("request_id")
      .notNull()
      .references(() => resourceRequests.id),
    allocatedAt: timestamp("allocated_at", { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp("released_at", { withTimezone: true }),
  },
  (t) => [index("segments_system").on(t.systemId)],
);

/** Controller-reported events per system (progress steps, drift, failures). */
export const systemEvents = pgTable(
  "system_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    type: text("type").notNull(),
    reason: text("reason").notNull(),
    message: text("message").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("system_events_system").on(t.systemId, t.id)],
);
