import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { requestKindEnum, requestStateEnum, resourceEnum, roleEnum } from "./enums.js";
import { departments, users } from "./org.js";
import { informationSystems } from "./systems.js";

/** A system's grant at one moment: amount per resource (zero omitted) and the CIDRs of its live segments. */
export interface GrantSnapshot {
  resources: Partial<Record<string, number>>;
  segments: string[];
}

export const resourceRequests = pgTable(
  "resource_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human-facing number, e.g. shown as ZY-000123. */
    number: bigserial("number", { mode: "number" }).notNull().unique(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    kind: requestKindEnum("kind").notNull(),
    state: requestStateEnum("state").notNull().default("draft"),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id),
    justification: text("justification").notNull(),
    /** When the granted resources are reclaimed; null means until released. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** Network segment asked for (prefix length /24–/28), or null for none. */
    segmentPrefix: smallint("segment_prefix"),
    deptApproverId: uuid("dept_approver_id").references(() => users.id),
    opsApproverId: uuid("ops_approver_id").references(() => users.id),
    securityApproverId: uuid("security_approver_id").references(() => users.id),
    /**
     * Growth reserved against the department ceiling and cluster capacity at ops approval, while a
     * level 3+ request waits for the security officer. Counts only in state ops_approved.
     */
    reservedDelta: jsonb("reserved_delta").$type<Partial<Record<string, number>>>(),
    /**
     * What the system held just before this request's grant was applied: the amount per resource and
     * the live network segments. Null until the grant is applied (and for requests applied before it
     * was recorded). A finished release shows from it what it gave back; a change, what it changed.
     */
    grantBefore: jsonb("grant_before").$type<GrantSnapshot>(),
    rejectionReason: text("rejection_reason"),
    failureReason: text("failure_reason"),
    version: integer("version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("requests_department_state").on(t.departmentId, t.state),
    // Keyset pages newest first: the approval queue by state, "my requests" by requester.
    index("requests_state_number").on(t.state, t.number.desc()),
    index("requests_system").on(t.systemId),
    index("requests_requester_number").on(t.requesterId, t.number.desc()),
    // One request in flight per system at a time, so grants never race each other.
    uniqueIndex("requests_one_in_flight_per_system")
      .on(t.systemId)
      .where(sql`${t.state} in ('draft', 'submitted', 'dept_approved', 'ops_approved', 'security_approved', 'provisioning')`),
    check("segment_prefix_range", sql`${t.segmentPrefix} is null or ${t.segmentPrefix} between 24 and 28`),
    check("rejected_has_reason", sql`${t.state} <> 'rejected' or ${t.rejectionReason} is not null`),
    check("security_approver_differs", sql`${t.securityApproverId} is null or ${t.securityApproverId} <> ${t.opsApproverId}`),
    check(
      "approvers_not_requester",
      sql`${t.requesterId} <> all (array_remove(array[${t.deptApproverId}, ${t.opsApproverId}, ${t.securityApproverId}], null))`,
    ),
  ],
);

/** What a request asks for: for new and change requests the system's target amount per resource. */
export const requestItems = pgTable(
  "request_items",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => resourceRequests.id, { onDelete: "cascade" }),
    resource: resourceEnum("resource").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.resource] }), check("item_non_negative", sql`${t.amount} >= 0`)],
);

/** External-zone destinations reached through the unified egress. */
export const requestEgressDestinations = pgTable(
  "request_egress_destinations",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => resourceRequests.id, { onDelete: "cascade" }),
    host: text("host").notNull(),
    port: integer("port").notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.host, t.port] }), check("egress_port_range", sql`${t.port} between 1 and 65535`)],
);

export const requestTransitions = pgTable(
  "request_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => resourceRequests.id, { onDelete: "cascade" }),
    fromState: requestStateEnum("from_state"),
    toState: requestStateEnum("to_state").notNull(),
    /** Null when the platform itself moved the request (controller, expiry). */
    actorId: uuid("actor_id").references(() => users.id),
    actorRole: roleEnum("actor_role"),
    note: text("note"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("transitions_request").on(t.requestId, t.id)],
);

export const ratings = pgTable(
  "ratings",
  {
    requestId: uuid("request_id")
      .primaryKey()
      .references(() => resourceRequests.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    score: smallint("score").notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("score_range", sql`${t.score} between 1 and 5`), index("ratings_department").on(t.departmentId)],
);
