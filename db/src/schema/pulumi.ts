import { json, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The controller's Pulumi state in its `postgres://` backend (Pulumi's own layout, default table
 * name). Created by the migrations so the runtime role needs no CREATE privilege; only Pulumi
 * reads and writes it.
 */
export const pulumiState = pgTable("pulumi_state", {
  key: text("key").primaryKey(),
  data: json("data").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
