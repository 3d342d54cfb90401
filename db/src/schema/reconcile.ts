import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { allocations } from "./allocations.js";
import { informationSystems } from "./systems.js";

/**
 * The controller's bookkeeping per allocation: who holds the work (a lease that expires, so a dead
 * replica's work is taken over), failure backoff, and what was last applied. Separate from
 * `allocations` so claiming work never locks the rows the request workflow updates.
 */
export const reconcileStates = pgTable(
  "reconcile_states",
  {
    systemId: uuid("system_id")
      .primaryKey()
      .references(() => allocations.systemId, { onDelete: "cascade" }),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** Consecutive failed attempts; reset by a success. */
    attempts: integer("attempts").notNull().default(0),
    /** Backoff: no new attempt at `failed_generation` before this time. */
    notBefore: timestamp("not_before", { withTimezone: true }),
    failedGeneration: integer("failed_generation"),
    lastError: text("last_error"),
    /** Generation and desired-state hash of the last successful apply. */
    appliedGeneration: integer("applied_generation").notNull().default(0),
    appliedHash: text("applied_hash"),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    /** Set while an apply runs; still set when a claim finds it, the previous run was killed. */
    runStartedAt: timestamp("run_started_at", { withTimezone: true }),
    /** Next drift and usage check. */
    checkDueAt: timestamp("check_due_at", { withTimezone: true }),
    /** The desired state changes on its own then (an exemption lapses). */
    requeueAt: timestamp("requeue_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("reconcile_states_lease").on(t.leaseExpiresAt),
    index("reconcile_states_check_due").on(t.checkDueAt),
    check("lease_complete", sql`(${t.leaseOwner} is null) = (${t.leaseExpiresAt} is null)`),
    check("attempts_non_negative", sql`${t.attempts} >= 0`),
  ],
);

/** One row per controller run on a system: who ran what, when, with what result. */
export const reconcileRuns = pgTable(
  "reconcile_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    owner: text("owner").notNull(),
    generation: integer("generation").notNull(),
    /** apply | release | heal */
    action: text("action").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** succeeded | failed; null while running (or when the run was killed). */
    result: text("result"),
    error: text("error"),
    /** The engine's change summary (create/update/delete/same counts). */
    changes: jsonb("changes").$type<Record<string, number>>(),
  },
  (t) => [index("reconcile_runs_system").on(t.systemId, t.id)],
);

/** The cluster-wide baseline last applied (one row per cluster). */
export const platformBaselines = pgTable("platform_baselines", {
  cluster: text("cluster").primaryKey(),
  appliedHash: text("applied_hash").notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
});
