import { DELIVERY_STATUSES, NOTIFICATION_EVENTS, WEBHOOK_FORMATS } from "@zhengyun/db/notifications/messages";
import { z } from "zod";
import {
  deleteWebhook,
  getPreferences,
  listNotifications,
  listWebhooks,
  markAllRead,
  markRead,
  saveWebhook,
  setPreferences,
  unreadCount,
  webhookDeliveries,
} from "../../../services/notifications/service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure, router, signedInProcedure } from "../../trpc.js";

const event = z.enum(NOTIFICATION_EVENTS);
const params = z.object({
  requestNumber: z.number().optional(),
  systemName: z.string().optional(),
  departmentName: z.string().optional(),
  stage: z.enum(["dept", "ops", "security"]).optional(),
  outcome: z.enum(["approved", "rejected"]).optional(),
  reason: z.string().optional(),
  days: z.number().optional(),
  controlId: z.string().optional(),
  drifted: z.number().optional(),
  score: z.number().optional(),
  comment: z.string().optional(),
  kind: z.enum(["new", "change", "release"]).optional(),
});
const notification = z.object({ id, event, params, link: z.string(), readAt: z.date().nullable(), createdAt: z.date() });

export const list = signedInProcedure
  .input(
    z
      .object({
        filter: z.enum(["all", "unread", "read"]).default("all"),
        limit: z.number().int().min(1).max(200).default(50),
        before: z.coerce.date().optional(),
      })
      .default({ filter: "all", limit: 50 }),
  )
  .output(z.object({ items: z.array(notification), unread: z.number() }))
  .query(({ ctx, input }) => listNotifications(ctx.service, input));

export const unread = signedInProcedure
  .input(z.void())
  .output(z.object({ count: z.number() }))
  .query(async ({ ctx }) => ({ count: await unreadCount(ctx.service) }));

export const markReadProc = signedInProcedure
  .input(z.object({ ids: z.array(id).min(1, "at least one notification").max(200) }))
  .output(z.object({ read: z.number() }))
  .mutation(({ ctx, input }) => markRead(ctx.service, input.ids));

export const markAllReadProc = signedInProcedure
  .input(z.void())
  .output(z.object({ read: z.number() }))
  .mutation(({ ctx }) => markAllRead(ctx.service));

const preferences = z.object({
  email: z.string().nullable(),
  events: z.array(z.object({ event, portal: z.boolean(), email: z.boolean() })),
});

export const getPreferencesProc = signedInProcedure
  .input(z.void())
  .output(preferences)
  .query(({ ctx }) => getPreferences(ctx.service));

export const setPreferencesProc = signedInProcedure
  .input(
    z.object({
      email: z
        .email({ message: "must be an e-mail address" })
        .max(254)
        .nullable()
        .or(z.literal("").transform(() => null)),
      events: z
        .array(z.object({ event, portal: z.boolean(), email: z.boolean() }))
        .max(NOTIFICATION_EVENTS.length)
        .refine((rows) => new Set(rows.map((r) => r.event)).size === rows.length, "each event at most once"),
    }),
  )
  .output(preferences)
  .mutation(({ ctx, input }) => setPreferences(ctx.service, input));

const webhook = z.object({
  id,
  name: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  target: z.string(),
  hasSecret: z.boolean(),
  events: z.array(event),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const webhookUrl = z
  .url({ protocol: /^https?$/, message: "must be an http(s) address" })
  .max(2000)
  .refine((u) => !new URL(u).username && !new URL(u).password, "must not carry a user name or password");

export const webhooks = rolesProcedure("dept_admin")
  .input(z.void())
  .output(z.array(webhook))
  .query(({ ctx }) => listWebhooks(ctx.service));

export const saveWebhookProc = rolesProcedure("dept_admin")
  .input(
    z.object({
      id: id.optional(),
      name: z.string().trim().min(1, "give the webhook a name").max(64),
      format: z.enum(WEBHOOK_FORMATS),
      url: webhookUrl.optional(),
      secret: z.string().min(8, "at least 8 characters").max(200).nullable().optional(),
      events: z.array(event).min(1, "choose at least one event"),
      enabled: z.boolean().default(true),
    }),
  )
  .output(webhook)
  .mutation(({ ctx, input }) => saveWebhook(ctx.service, ctx.policy.secretKey, input));

export const deleteWebhookProc = rolesProcedure("dept_admin")
  .input(z.object({ id }))
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => deleteWebhook(ctx.service, input.id));

export const deliveries = rolesProcedure("dept_admin")
  .input(z.object({ webhookId: id.optional(), limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
  .output(
    z.array(
      z.object({
        id: z.number(),
        webhookId: id,
        webhookName: z.string(),
        target: z.string(),
        event,
        status: z.enum(DELIVERY_STATUSES),
        attempts: z.number(),
        lastCode: z.number().nullable(),
        lastError: z.string().nullable(),
        nextAttemptAt: z.date(),
        createdAt: z.date(),
        updatedAt: z.date(),
        tries: z.array(
          z.object({
            attempt: z.number(),
            at: z.date(),
            ok: z.boolean(),
            responseCode: z.number().nullable(),
            error: z.string().nullable(),
            durationMs: z.number(),
          }),
        ),
      }),
    ),
  )
  .query(({ ctx, input }) => webhookDeliveries(ctx.service, input));

export const notificationsRouter = router({
  list,
  unread,
  markRead: markReadProc,
  markAllRead: markAllReadProc,
  preferences: getPreferencesProc,
  setPreferences: setPreferencesProc,
  webhooks,
  saveWebhook: saveWebhookProc,
  deleteWebhook: deleteWebhookProc,
  deliveries,
});
