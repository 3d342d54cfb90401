import type { Db } from "@zhengyun/db/client";
import { renderNotification } from "@zhengyun/db/notifications/messages";
import { departmentWebhooks, notificationDeliveries, notificationDeliveryAttempts } from "@zhengyun/db/schema";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { unseal } from "../../auth/secrets.js";
import { MAX_ATTEMPTS, type Message, messageFor, retryableStatus, retryDelayMs, webhookRequest } from "./payloads.js";

export interface Dispatcher {
  /** Null: mail is off (no SMTP configured); mail messages are marked skipped. */
  mail: Transporter | null;
  mailFrom: string;
  /** Links in mail and webhook messages are made absolute with it. */
  publicUrl?: string | undefined;
  /** Opens webhook addresses and secrets (the key sealing TOTP secrets). */
  secretKey: Buffer;
  timeoutMs?: number;
  /** Told of each attempt's outcome (for metrics). */
  onAttempt?: (channel: "email" | "webhook", outcome: "sent" | "retrying" | "failed" | "skipped") => void;
}

/** A nodemailer transport for SMTP_URL or host/port; null when neither is configured. */
export function mailTransport(smtp: string | { host: string; port: number; secure: boolean } | undefined): Transporter | null {
  if (!smtp) return null;
  return nodemailer.createTransport(typeof smtp === "string" ? smtp : { ...smtp, connectionTimeout: 10_000, greetingTimeout: 10_000 });
}

/** While a message is being sent nobody else takes it; after this it is due again (a killed sender). */
const LEASE_MS = 120_000;

interface Outcome {
  ok: boolean;
  code: number | null;
  error: string | null;
  retry: boolean;
  skipped?: boolean;
}

/**
 * Sends the mail and webhook messages that are due, each at most once at a time across portal
 * replicas (taken with SKIP LOCKED and leased), recording every attempt; a failure worth retrying
 * is tried again later (backoff), up to MAX_ATTEMPTS.
 */
export async function dispatchDue(db: Db, d: Dispatcher, now = new Date(), limit = 20) {
  const taken = await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(notificationDeliveries)
      .where(and(eq(notificationDeliveries.status, "pending"), lte(notificationDeliveries.nextAttemptAt, now)))
      .orderBy(asc(notificationDeliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return due;
    await tx
      .update(notificationDeliveries)
      .set({ attempts: sql`${notificationDeliveries.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS), updatedAt: now })
      .where(
        inArray(
          notificationDeliveries.id,
          due.map((r) => r.id),
        ),
      );
    return due.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  });
  const counts = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  for (const delivery of taken) {
    const started = Date.now();
    const message = messageFor(delivery, d.publicUrl);
    const outcome = delivery.channel === "email" ? await sendMail(d, delivery.target, message) : await sendWebhook(db, d, delivery.webhookId!, message, now);
    const status = outcome.ok ? "sent" : outcome.skipped ? "skipped" : outcome.retry && delivery.attempts < MAX_ATTEMPTS ? "pending" : "failed";
    const counted = status === "pending" ? "retrying" : status;
    counts[counted]++;
    d.onAttempt?.(delivery.channel, counted);
    const at = new Date();
    await db.transaction(async (tx) => {
      await tx.insert(notificationDeliveryAttempts).values({
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        at,
        ok: outcome.ok,
        responseCode: outcome.code,
        error: outcome.error?.slice(0, 500) ?? null,
        durationMs: Date.now() - started,
      });
      await tx
        .update(notificationDeliveries)
        .set({
          status,
          lastCode: outcome.code,
          lastError: outcome.error?.slice(0, 500) ?? null,
          nextAttemptAt: new Date(now.getTime() + (status === "pending" ? retryDelayMs(delivery.attempts) : 0)),
          updatedAt: at,
        })
        .where(eq(notificationDeliveries.id, delivery.id));
    });
  }
  return counts;
}

async function sendMail(d: Dispatcher, to: string, m: Message): Promise<Outcome> {
  if (!d.mail) return { ok: false, code: null, error: "邮件未配置 / mail is not configured (SMTP_URL)", retry: false, skipped: true };
  const zh = renderNotification(m.event, m.params, "zh");
  const en = renderNotification(m.event, m.params, "en");
  try {
    const info = await d.mail.sendMail({
      from: d.mailFrom,
      to,
      subject: `【政云】${zh.title}`,
      text: `${zh.body}\n\n${en.title}\n${en.body}\n\n${m.link}\n`,
      headers: { "X-Zhengyun-Event": m.event },
    });
    const code = Number.parseInt(String(info.response ?? "250"), 10);
    return { ok: true, code: Number.isFinite(code) ? code : 250, error: null, retry: false };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    // SMTP 4xx is a temporary refusal, connection errors have no code: both are tried again.
    const code = e.responseCode ?? null;
    return { ok: false, code, error: `${e.code ?? "error"}: ${e.message ?? String(err)}`, retry: code === null || code < 500 };
  }
}

async function sendWebhook(db: Db, d: Dispatcher, webhookId: string, m: Message, now: Date): Promise<Outcome> {
  const [hook] = await db.select().from(departmentWebhooks).where(eq(departmentWebhooks.id, webhookId));
  if (!hook?.enabled) return { ok: false, code: null, error: "webhook disabled", retry: false, skipped: true };
  let url: string;
  let secret: string | null;
  try {
    url = unseal(d.secretKey, hook.urlSealed, hook.id);
    secret = hook.secretSealed ? unseal(d.secretKey, hook.secretSealed, hook.id) : null;
  } catch {
    return { ok: false, code: null, error: "cannot open the webhook's sealed settings (ZHENGYUN_SECRET_KEY changed?)", retry: false };
  }
  const req = webhookRequest(hook.format, url, secret, m, now);
  try {
    const res = await fetch(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
    });
    const text = await res.text().catch(() => "");
    if (!res.ok) return { ok: false, code: res.status, error: `HTTP ${res.status} ${text.slice(0, 200)}`.trim(), retry: retryableStatus(res.status) };
    // The robots answer 200 with {errcode, errmsg}; a non-zero errcode is a refusal.
    if (hook.format !== "generic") {
      const answer = safeJson(text) as { errcode?: number; errmsg?: string } | null;
      if (answer && typeof answer.errcode === "number" && answer.errcode !== 0)
        return { ok: false, code: res.status, error: `errcode ${answer.errcode}: ${answer.errmsg ?? ""}`.slice(0, 300), retry: false };
    }
    return { ok: true, code: res.status, error: null, retry: false };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    return { ok: false, code: null, error: e.cause?.code ?? e.cause?.message ?? e.name ?? e.message ?? "network error", retry: true };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
