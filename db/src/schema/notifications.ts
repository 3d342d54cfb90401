import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { NotificationEvent, NotificationParams, WebhookFormat } from "../notifications/messages.js";
import { departments, users } from "./org.js";

const EVENT_LIST = sql.raw(
  "'approval_waiting', 'request_decided', 'provisioning_done', 'provisioning_failed', 'drift_detected', 'exemption_expiring', 'grant_expiring', 'low_rating'",
);

/**
 * One notification for one person: the event, its parameters (rendered in zh and en by
 * shared/notifications.ts) and the portal page it is about. `dedup_key` names the fact, so the same
 * fact reaches a person once however often it is seen.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    event: text("event").notNull().$type<NotificationEvent>(),
    departmentId: uuid("department_id").references(() => departments.id),
    params: jsonb("params").$type<NotificationParams>().notNull(),
    link: text("link").notNull(),
    dedupKey: text("dedup_key").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notifications_user_dedup").on(t.userId, t.dedupKey),
    index("notifications_user_created").on(t.userId, t.createdAt),
    index("notifications_user_unread").on(t.userId).where(sql`${t.readAt} is null`),
    check("notifications_event_known", sql`${t.event} in (${EVENT_LIST})`),
    check("notifications_link_relative", sql`${t.link} like '/%'`),
  ],
);

/** A person's choice per event and channel; no row means the channel is on. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    event: text("event").notNull().$type<NotificationEvent>(),
    channel: text("channel").notNull().$type<"portal" | "email">(),
    enabled: boolean("enabled").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.event, t.channel] }),
    check("notification_preferences_event_known", sql`${t.event} in (${EVENT_LIST})`),
    check("notification_preferences_channel", sql`${t.channel} in ('portal', 'email')`),
  ],
);

/** Where a person's mail goes; no row (or no address) means no mail. */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("notification_settings_email", sql`${t.email} is null or ${t.email} ~ '^[^@\\s]+@[^@\\s]+$'`)],
);

/**
 * A department's webhook, managed by its department admin. The address (a robot's address holds
 * its access token) and the signing secret are sealed like TOTP secrets (auth/secrets.ts), bound to
 * the webhook's id; `target` is the address without its query, for lists and the delivery log.
 */
export const departmentWebhooks = pgTable(
  "department_webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    name: text("name").notNull(),
    format: text("format").notNull().$type<WebhookFormat>(),
    urlSealed: text("url_sealed").notNull(),
    target: text("target").notNull(),
    secretSealed: text("secret_sealed"),
    events: text("events").array().notNull().$type<NotificationEvent[]>(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("department_webhooks_department").on(t.departmentId),
    check("department_webhooks_format", sql`${t.format} in ('generic', 'wecom', 'dingtalk')`),
    check("department_webhooks_name_length", sql`char_length(${t.name}) between 1 and 64`),
  ],
);

/**
 * Mail and webhook messages waiting to go out, going out, or gone: the outbox the dispatcher works
 * through with retries and backoff, and the delivery log. A message carries what it says (event,
 * parameters, link), so it does not depend on the in-portal notification.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull().$type<"email" | "webhook">(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    webhookId: uuid("webhook_id").references(() => departmentWebhooks.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id").references(() => departments.id),
    /** The mail address, or the webhook's address without its query. */
    target: text("target").notNull(),
    event: text("event").notNull().$type<NotificationEvent>(),
    params: jsonb("params").$type<NotificationParams>().notNull(),
    link: text("link").notNull(),
    dedupKey: text("dedup_key").notNull(),
    status: text("status").notNull().default("pending").$type<"pending" | "sent" | "failed" | "skipped">(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastCode: integer("last_code"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notification_deliveries_email_dedup").on(t.userId, t.dedupKey).where(sql`${t.channel} = 'email'`),
    uniqueIndex("notification_deliveries_webhook_dedup").on(t.webhookId, t.dedupKey).where(sql`${t.channel} = 'webhook'`),
    index("notification_deliveries_due").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("notification_deliveries_webhook").on(t.webhookId, t.id),
    check(
      "notification_deliveries_channel",
      sql`(${t.channel} = 'email' and ${t.userId} is not null) or (${t.channel} = 'webhook' and ${t.webhookId} is not null)`,
    ),
    check("notification_deliveries_status", sql`${t.status} in ('pending', 'sent', 'failed', 'skipped')`),
    check("notification_deliveries_attempts", sql`${t.attempts} >= 0`),
  ],
);

/** Each try of a delivery: when, with what answer. */
export const notificationDeliveryAttempts = pgTable(
  "notification_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => notificationDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    responseCode: integer("response_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("notification_delivery_attempts_delivery").on(t.deliveryId, t.attempt)],
);

/** How far the notifier has looked at facts the controller records (evidence reports). */
export const notificationCursors = pgTable("notification_cursors", {
  source: text("source").primaryKey(),
  position: bigint("position", { mode: "number" }).notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
