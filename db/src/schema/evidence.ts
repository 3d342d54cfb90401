import type { EvidenceReport } from "@zhengyun/policies/definitions";
import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { informationSystems } from "./systems.js";

/**
 * Compliance evidence of a system, as the controller read it from the cluster: one row per distinct
 * report (a new row when anything in it changes, e.g. a control drifts or an exemption is granted),
 * so the history shows when each control was enforced. `confirmed_at` moves forward while later
 * checks find the same content.
 */
export const evidenceReports = pgTable(
  "evidence_reports",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => informationSystems.id),
    /** Hash of the report without its generation time: equal hashes, same evidence. */
    contentHash: text("content_hash").notNull(),
    generatedAt: timestamp("generated_at", { withTimezone: true }).notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }).notNull(),
    level: integer("level").notNull(),
    total: integer("total").notNull(),
    enforced: integer("enforced").notNull(),
    exempted: integer("exempted").notNull(),
    drifted: integer("drifted").notNull(),
    /** The report as `@zhengyun/policies` builds it (EvidenceReport). */
    report: jsonb("report").$type<EvidenceReport>().notNull(),
  },
  (t) => [
    index("evidence_reports_system").on(t.systemId, t.id),
    check(
      "evidence_counts",
      sql`${t.enforced} + ${t.exempted} + ${t.drifted} = ${t.total} and ${t.drifted} >= 0 and ${t.exempted} >= 0 and ${t.enforced} >= 0`,
    ),
    check("evidence_confirmed_after_generated", sql`${t.confirmedAt} >= ${t.generatedAt}`),
  ],
);
