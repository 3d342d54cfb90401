import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, forbidden, notFound } from "@zhengyun/db/errors";
import { NOTIFICATION_EVENTS, type NotificationEvent, type WebhookFormat } from "@zhengyun/db/notifications/messages";
import {
  departmentWebhooks,
  notificationDeliveries,
  notificationDeliveryAttempts,
  notificationPreferences,
  notificationSettings,
  notifications,
} from "@zhengyun/db/schema";
import { and, count, desc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { seal } from "../../auth/secrets.js";
import { audit } from "../audit-service.js";
import { displayTarget } from "./payloads.js";

export type ReadFilter = "all" | "unread" | "read";

/** The caller's own notifications, newest first; `before` pages on. */
export async function listNotifications(ctx: ServiceContext, q: { filter: ReadFilter; limit: number; before?: Date | undefined }) {
  const where = [eq(notifications.userId, ctx.actor.id)];
  if (q.filter === "unread") where.push(isNull(notifications.readAt));
  if (q.filter === "read") where.push(isNotNull(notifications.readAt));
  if (q.before) where.push(lt(notifications.createdAt, q.before));
  const rows = await ctx.db
    .select({
      id: notifications.id,
      event: notifications.event,
      params: notifications.params,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit);
  return { items: rows, unread: await unreadCount(ctx) };
}

export async function unreadCount(ctx: ServiceContext): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, ctx.actor.id), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks the caller's own notifications read; an id that is not the caller's is not found. */
export async function markRead(ctx: ServiceContext, ids: string[]) {
  return ctx.db.transaction(async (tx) => {
    const own = await tx
      .select({ id: notifications.id, readAt: notifications.readAt })
      .from(notifications)
      .where(and(inArray(notifications.id, ids), eq(notifications.userId, ctx.actor.id)))
      .for("update");
    if (own.length !== new Set(ids).size) throw notFound("notification");
    const unread = own.filter((n) => !n.readAt).map((n) => n.id);
    if (unread.length > 0) await tx.update(notifications).set({ readAt: ctx.now() }).where(inArray(notifications.id, unread));
    await audit(tx, ctx, "notification.read", { type: "user", id: ctx.actor.id }, { after: { ids, newlyRead: unread.length } });
    return { read: unread.length };
  });
}

export async function markAllRead(ctx: ServiceContext) {
  return ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(notifications)
      .set({ readAt: ctx.now() })
      .where(and(eq(notifications.userId, ctx.actor.id), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    await audit(tx, ctx, "notification.read_all", { type: "user", id: ctx.actor.id }, { after: { newlyRead: done.length } });
    return { read: done.length };
  });
}

export interface PreferenceRow {
  event: NotificationEvent;
  portal: boolean;
  email: boolean;
}

export async function getPreferences(ctx: ServiceContext): Promise<{ email: string | null; events: PreferenceRow[] }> {
  const [settings] = await ctx.db.select().from(notificationSettings).where(eq(notificationSettings.userId, ctx.actor.id));
  const rows = await ctx.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, ctx.actor.id));
  const off = new Set(rows.filter((r) => !r.enabled).map((r) => `${r.event}:${r.channel}`));
  return {
    email: settings?.email ?? null,
    events: NOTIFICATION_EVENTS.map((event) => ({ event, portal: !off.has(`${event}:portal`), email: !off.has(`${event}:email`) })),
  };
}

export async function setPreferences(ctx: ServiceContext, input: { email: string | null; events: PreferenceRow[] }) {
  return ctx.db.transaction(async (tx) => {
    const before = await getPreferences({ ...ctx, db: tx as never });
    await tx
      .insert(notificationSettings)
      .values({ userId: ctx.actor.id, email: input.email, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: { email: input.email, updatedAt: ctx.now() } });
    const rows = input.events.flatMap((e) => [
      { userId: ctx.actor.id, event: e.event, channel: "portal" as const, enabled: e.portal },
      { userId: ctx.actor.id, event: e.event, channel: "email" as const, enabled: e.email },
    ]);
    if (rows.length > 0)
      await tx
        .insert(notificationPreferences)
        .values(rows)
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.event, notificationPreferences.channel],
          set: { enabled: sql`excluded.enabled` },
        });
    const after = await getPreferences({ ...ctx, db: tx as never });
    await audit(tx, ctx, "notification.preferences", { type: "user", id: ctx.actor.id }, { before, after });
    return after;
  });
}

export interface WebhookInput {
  id?: string | undefined;
  name: string;
  format: WebhookFormat;
  /** Required for a new webhook; absent keeps the stored address. */
  url?: string | undefined;
  /** Absent keeps the stored secret; null removes it. */
  secret?: string | null | undefined;
  events: NotificationEvent[];
  enabled: boolean;
}

const webhookColumns = {
  id: departmentWebhooks.id,
  name: departmentWebhooks.name,
  format: departmentWebhooks.format,
  target: departmentWebhooks.target,
  hasSecret: sql<boolean>`${departmentWebhooks.secretSealed} is not null`,
  events: departmentWebhooks.events,
  enabled: departmentWebhooks.enabled,
  createdAt: departmentWebhooks.createdAt,
  updatedAt: departmentWebhooks.updatedAt,
};

/** The department admin's own department's webhooks; never their address's query or secret. */
export async function listWebhooks(ctx: ServiceContext) {
  return ctx.db
    .select(webhookColumns)
    .from(departmentWebhooks)
    .where(eq(departmentWebhooks.departmentId, ctx.actor.departmentId))
    .orderBy(departmentWebhooks.createdAt);
}

async function ownWebhook(ctx: ServiceContext, tx: ServiceContext["db"], id: string) {
  const [hook] = await tx.select().from(departmentWebhooks).where(eq(departmentWebhooks.id, id)).for("update");
  if (!hook) throw notFound("webhook");
  if (hook.departmentId !== ctx.actor.departmentId) throw forbidden();
  return hook;
}

/** Creates or changes a webhook of the caller's department; the address and secret are sealed to its id. */
export async function saveWebhook(ctx: ServiceContext, secretKey: Buffer, input: WebhookInput) {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const existing = input.id ? await ownWebhook(ctx, tx as never, input.id) : null;
    if (!existing && !input.url) throw new AppError("INVALID_INPUT", "url: a new webhook needs its address", { field: "url" });
    const id = existing?.id ?? crypto.randomUUID();
    const target = input.url ? displayTarget(input.url) : existing!.target;
    const values = {
      name: input.name,
      format: input.format,
      target,
      events: [...new Set(input.events)],
      enabled: input.enabled,
      updatedAt: now,
      ...(input.url ? { urlSealed: seal(secretKey, input.url, id) } : {}),
      ...(input.secret === undefined ? {} : { secretSealed: input.secret === null ? null : seal(secretKey, input.secret, id) }),
    };
    if (existing) await tx.update(departmentWebhooks).set(values).where(eq(departmentWebhooks.id, id));
    else
      await tx.insert(departmentWebhooks).values({
        id,
        departmentId: ctx.actor.departmentId,
        createdBy: ctx.actor.id,
        createdAt: now,
        urlSealed: seal(secretKey, input.url!, id),
        ...values,
      });
    const [saved] = await tx.select(webhookColumns).from(departmentWebhooks).where(eq(departmentWebhooks.id, id));
    // The audit trail names the address without its query and says whether a secret is set, never what.
    const shown = (h: { name: string; format: string; target: string; events: string[]; enabled: boolean; hasSecret: boolean }) => ({
      name: h.name,
      format: h.format,
      target: h.target,
      events: h.events,
      enabled: h.enabled,
      hasSecret: h.hasSecret,
      departmentId: ctx.actor.departmentId,
    });
    await audit(
      tx,
      ctx,
      existing ? "webhook.update" : "webhook.create",
      { type: "webhook", id },
      {
        ...(existing ? { before: shown({ ...existing, hasSecret: existing.secretSealed !== null }) } : {}),
        after: { ...shown(saved!), urlChanged: Boolean(input.url) },
      },
    );
    return saved!;
  });
}

export async function deleteWebhook(ctx: ServiceContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const hook = await ownWebhook(ctx, tx as never, id);
    await tx.delete(departmentWebhooks).where(eq(departmentWebhooks.id, id));
    await audit(tx, ctx, "webhook.delete", { type: "webhook", id }, { before: { name: hook.name, format: hook.format, target: hook.target } });
    return { id };
  });
}

/** The delivery log of the caller's department's webhooks, newest first, with each attempt. */
export async function webhookDeliveries(ctx: ServiceContext, q: { webhookId?: string | undefined; limit: number }) {
  const where = [eq(notificationDeliveries.channel, "webhook"), eq(departmentWebhooks.departmentId, ctx.actor.departmentId)];
  if (q.webhookId) where.push(eq(notificationDeliveries.webhookId, q.webhookId));
  const rows = await ctx.db
    .select({
      id: notificationDeliveries.id,
      webhookId: notificationDeliveries.webhookId,
      webhookName: departmentWebhooks.name,
      target: notificationDeliveries.target,
      event: notificationDeliveries.event,
      status: notificationDeliveries.status,
      attempts: notificationDeliveries.attempts,
      lastCode: notificationDeliveries.lastCode,
      lastError: notificationDeliveries.lastError,
      nextAttemptAt: notificationDeliveries.nextAttemptAt,
      createdAt: notificationDeliveries.createdAt,
      updatedAt: notificationDeliveries.updatedAt,
    })
    .from(notificationDeliveries)
    .innerJoin(departmentWebhooks, eq(departmentWebhooks.id, notificationDeliveries.webhookId))
    .where(and(...where))
    .orderBy(desc(notificationDeliveries.id))
    .limit(q.limit);
  const attempts =
    rows.length === 0
      ? []
      : await ctx.db
          .select()
          .from(notificationDeliveryAttempts)
          .where(
            inArray(
              notificationDeliveryAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(notificationDeliveryAttempts.deliveryId, notificationDeliveryAttempts.attempt);
  return rows.map((r) => ({
    ...r,
    webhookId: r.webhookId!,
    tries: attempts
      .filter((a) => a.deliveryId === r.id)
      .map((a) => ({ attempt: a.attempt, at: a.at, ok: a.ok, responseCode: a.responseCode, error: a.error, durationMs: a.durationMs })),
  }));
}
