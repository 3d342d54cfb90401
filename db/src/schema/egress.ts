import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { informationSystems } from "./systems.js";

/**
 * The unified internet egress gateway port of each external-zone system that has held egress.
 * A port stays with its system (also across a release and a new grant) and is never handed to
 * another, so a log line's port always names one system.
 */
export const egressPorts = pgTable(
  "egress_ports",
  {
    systemId: uuid("system_id")
      .primaryKey()
      .references(() => informationSystems.id),
    port: integer("port").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("egress_ports_port_unique").on(t.port), check("egress_port_range", sql`${t.port} between 1 and 65535`)],
);

/** How far the log shipper has read each gateway access log (bytes). */
export const egressLogCursors = pgTable("egress_log_cursors", {
  source: text("source").primaryKey(),
  offset: bigint("offset", { mode: "number" }).notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const EGRESS_ACTIONS = ["allowed", "denied"] as const;
export type EgressAction = (typeof EGRESS_ACTIONS)[number];

/**
 * One connection (allowed or refused) through the unified egress. Partitioned by month on `at`
 * (see migration 0010; drizzle cannot declare partitions): retention drops whole months.
 */
export const egressConnections = pgTable(
  "egress_connections",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** Null when the port belongs to no system (the gateway's closed port). */
    systemId: uuid("system_id"),
    departmentId: uuid("department_id"),
    gatewayPort: integer("gateway_port").notNull(),
    client: text("client").notNull(),
    method: text("method").notNull(),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    /** HTTP status the gateway answered (403 for a refusal; 0 when the client went away first). */
    status: integer("status").notNull(),
    action: text("action").$type<EgressAction>().notNull(),
    squidStatus: text("squid_status").notNull(),
    /** Bytes the system received (reply) and sent (request). */
    bytesIn: bigint("bytes_in", { mode: "number" }).notNull(),
    bytesOut: bigint("bytes_out", { mode: "number" }).notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [
    primaryKey({ name: "egress_connections_pk", columns: [t.at, t.id] }),
    index("egress_connections_system_at").on(t.systemId, t.at),
    index("egress_connections_department_at").on(t.departmentId, t.at),
    index("egress_connections_at").on(t.at),
    check("egress_action", sql`${t.action} in ('allowed', 'denied')`),
  ],
);
