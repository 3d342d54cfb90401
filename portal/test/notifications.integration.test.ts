/**
 * Notifications end to end on a real database: facts become notifications as they happen, mail
 * reaches a real SMTP server on loopback, webhooks a real HTTP receiver (signature checked, a 500
 * retried), preferences and ownership hold.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TRPCError } from "@trpc/server";
import { purgeNotifications, scanFacts } from "@zhengyun/db/notifications/facts";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { allocations, auditLog, evidenceReports, exemptions, notificationDeliveries, notifications } from "@zhengyun/db/schema";
import { and, eq, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUTH_POLICY } from "../src/auth/policy.js";
import { type Dispatcher, dispatchDue } from "../src/services/notifications/dispatch.js";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeOrg, makeUser, type Org, requestIn, unique } from "./harness.js";

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

let iso: IsolatedDatabase;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: Mail[] = [];

beforeAll(async () => {
  iso = await isolatedDatabase("zy_notify");
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await iso?.drop();
});

const PUBLIC_URL = "https://zhengyun.example.gov.cn";
const dispatcher = (): Dispatcher => ({
  mail: nodemailer.createTransport({ host: "127.0.0.1", port: smtpPort, secure: false, ignoreTLS: true }),
  mailFrom: "zhengyun@example.gov.cn",
  publicUrl: PUBLIC_URL,
  secretKey: DEFAULT_AUTH_POLICY.secretKey,
});

/** The decoded text of a mail (quoted-printable or base64 bodies as nodemailer writes them). */
function mailText(raw: string): string {
  const [, body = ""] = raw.split(/\r?\n\r?\n/, 2).length > 1 ? [raw.slice(0, raw.search(/\r?\n\r?\n/)), raw.slice(raw.search(/\r?\n\r?\n/))] : [raw, ""];
  const qp = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(qp, "latin1").toString("utf8");
}

async function notificationsOf(userId: string) {
  return iso.database.db.select().from(notifications).where(eq(notifications.userId, userId));
}

describe("notifications", () => {
  let org: Org;
  beforeAll(async () => {
    org = await makeOrg(iso.database);
  });

  it("mails a department admin that a request waits for them, with a link to it; a person who turned mail off gets none", async () => {
    const admin2 = await makeUser(iso.database, org.dept.id, ["dept_admin"]);
    const adminMail = `${unique("admin")}@example.gov.cn`;
    await org.as("deptAdmin").notifications.setPreferences({ email: adminMail, events: [] });
    const quiet = callerFor(iso.database, admin2);
    const prefs = await quiet.notifications.preferences();
    await quiet.notifications.setPreferences({
      email: `${unique("quiet")}@example.gov.cn`,
      events: prefs.events.map((e) => (e.event === "approval_waiting" ? { ...e, email: false } : e)),
    });

    const { request } = await requestIn(org, "submitted");
    const before = inbox.length;
    const counts = await dispatchDue(iso.database.db, dispatcher());
    expect(counts.sent).toBe(1);
    const received = inbox.slice(before);
    expect(received.map((m) => m.to)).toEqual([[adminMail]]);
    const text = mailText(received[0]!.raw);
    expect(text).toContain(`${PUBLIC_URL}/requests/${request.id}`);
    expect(text).toContain("等待您的部门审批");

    // Both admins see it in the portal (portal notifications stay on); the quiet one has no mail queued.
    const [own] = (await notificationsOf(org.people.deptAdmin.id)).filter((n) => n.link === `/requests/${request.id}`);
    expect(own?.event).toBe("approval_waiting");
    expect((await notificationsOf(admin2.id)).filter((n) => n.link === `/requests/${request.id}`)).toHaveLength(1);
    const queued = await iso.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, admin2.id));
    expect(queued).toEqual([]);
  });

  it("tells the requester of each decision and the outcome, ops of a failure, and ops of a low rating", async () => {
    const { request } = await requestIn(org, "provisioning");
    const mine = async () => (await notificationsOf(org.people.applicant.id)).filter((n) => n.link === `/requests/${request.id}`).map((n) => n.event);
    expect((await mine()).sort()).toEqual(["request_decided", "request_decided"]);
    await completeProvisioning(iso.database.db, request.id, { ok: false, reason: "quota apply failed" });
    const opsSeen = (await notificationsOf(org.people.ops2.id)).filter((n) => n.link === `/requests/${request.id}`).map((n) => n.event);
    expect(opsSeen).toContain("provisioning_failed");
    await completeProvisioning(iso.database.db, request.id, { ok: true });
    expect(await mine()).toContain("provisioning_done");
    await org.as("applicant").requests.rate({ id: request.id, score: 1, comment: "开通太慢" });
    const low = (await notificationsOf(org.people.ops.id)).find((n) => n.event === "low_rating" && n.params.requestNumber !== undefined);
    expect(low?.params.score).toBe(1);

    const rejected = await requestIn(org, "submitted");
    await org.as("deptAdmin").requests.reject({ id: rejected.request.id, reason: "材料不全" });
    const decision = (await notificationsOf(org.people.applicant.id)).find(
      (n) => n.link === `/requests/${rejected.request.id}` && n.event === "request_decided",
    );
    expect(decision?.params).toMatchObject({ outcome: "rejected", stage: "dept", reason: "材料不全" });
  });

  it("finds drift, lapsing exemptions and expiring grants in the database, once each", async () => {
    const { system, request } = await requestIn(org, "provisioning");
    await completeProvisioning(iso.database.db, request.id, { ok: true });
    const { name } = await org.as("applicant").systems.get({ id: system.id });
    const now = new Date();
    await iso.database.db.insert(evidenceReports).values({
      systemId: system.id,
      contentHash: "d".repeat(64),
      generatedAt: now,
      confirmedAt: now,
      level: 2,
      total: 3,
      enforced: 2,
      exempted: 0,
      drifted: 1,
      report: {} as never,
    });
    await iso.database.db.insert(exemptions).values({
      systemId: system.id,
      controlId: "registry-allowlist",
      reason: "迁移期",
      grantedBy: org.people.security.id,
      expiresAt: new Date(now.getTime() + 3 * 86_400_000),
    });
    await iso.database.db
      .update(allocations)
      .set({ expiresAt: new Date(now.getTime() + 5 * 86_400_000) })
      .where(eq(allocations.systemId, system.id));
    await scanFacts(iso.database.db, now);
    await scanFacts(iso.database.db, now);
    const sec = await notificationsOf(org.people.security.id);
    expect(sec.filter((n) => n.event === "drift_detected" && n.params.systemName === name)).toHaveLength(1);
    expect(sec.filter((n) => n.event === "exemption_expiring" && n.params.systemName === name)).toHaveLength(1);
    const admin = await notificationsOf(org.people.deptAdmin.id);
    expect(admin.filter((n) => n.event === "drift_detected" && n.params.systemName === name)).toHaveLength(1);
    const grant = (await notificationsOf(org.people.applicant.id)).filter((n) => n.event === "grant_expiring" && n.params.systemName === name);
    expect(grant.map((n) => n.params.days)).toEqual([7]);
  });

  it("posts to a department webhook, signed, and retries after a 500", async () => {
    const secret = "webhook-signing-secret-1";
    const seen: { status: number; verified: boolean; body: Record<string, unknown> }[] = [];
    const receiver: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const ts = String(req.headers["x-zhengyun-timestamp"]);
        const expected = `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
        const status = seen.length === 0 ? 500 : 200;
        seen.push({ status, verified: req.headers["x-zhengyun-signature"] === expected, body: JSON.parse(body) });
        res.writeHead(status, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const other = await makeOrg(iso.database);
      const hook = await other.as("deptAdmin").notifications.saveWebhook({
        name: "值班群",
        format: "generic",
        url: `http://127.0.0.1:${port}/hook?token=robot-access-token`,
        secret,
        events: ["approval_waiting"],
      });
      expect(hook).toMatchObject({ target: `http://127.0.0.1:${port}/hook`, hasSecret: true });

      const { request } = await requestIn(other, "submitted");
      const outcomes: string[] = [];
      const counting = { ...dispatcher(), onAttempt: (channel: string, outcome: string) => void outcomes.push(`${channel}:${outcome}`) };
      const first = await dispatchDue(iso.database.db, counting);
      expect(first).toMatchObject({ retrying: 1 });
      const later = new Date(Date.now() + 3_600_000);
      const second = await dispatchDue(iso.database.db, counting, later);
      expect(second).toMatchObject({ sent: 1 });
      expect(outcomes.filter((o) => o.startsWith("webhook:"))).toEqual(["webhook:retrying", "webhook:sent"]);
      expect(seen.map((s) => [s.status, s.verified])).toEqual([
        [500, true],
        [200, true],
      ]);
      expect(seen[1]!.body).toMatchObject({ event: "approval_waiting", link: `${PUBLIC_URL}/requests/${request.id}` });

      const log = await other.as("deptAdmin").notifications.deliveries({ webhookId: hook.id });
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ status: "sent", attempts: 2, target: `http://127.0.0.1:${port}/hook` });
      expect(log[0]!.tries.map((t) => [t.attempt, t.ok, t.responseCode])).toEqual([
        [1, false, 500],
        [2, true, 200],
      ]);

      // Another department's admin neither sees nor changes it.
      expect(await org.as("deptAdmin").notifications.deliveries({ webhookId: hook.id })).toEqual([]);
      const refused = await org
        .as("deptAdmin")
        .notifications.saveWebhook({ id: hook.id, name: "改名", format: "generic", events: ["approval_waiting"] })
        .catch((e: TRPCError) => e.code);
      expect(refused).toBe("FORBIDDEN");
      expect(
        await org
          .as("deptAdmin")
          .notifications.deleteWebhook({ id: hook.id })
          .catch((e: TRPCError) => e.code),
      ).toBe("FORBIDDEN");

      // Neither the secret nor the robot's token is stored in the clear or written anywhere people read.
      const stored = JSON.stringify(await iso.database.db.execute(sql`select row_to_json(w)::text as j from department_webhooks w where id = ${hook.id}`));
      const audits = JSON.stringify(
        await iso.database.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.targetType, "webhook"), eq(auditLog.targetId, hook.id))),
      );
      const sent = JSON.stringify(await iso.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.webhookId, hook.id)));
      for (const text of [stored, audits, sent, JSON.stringify(seen)]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain("robot-access-token");
      }
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("posts the 钉钉 robot's signed markdown, and records a robot's refusal without retrying it", async () => {
    const secret = "SECdingtalk-robot-secret";
    const seen: { path: string; verified: boolean; body: { msgtype?: string; markdown?: { title?: string; text?: string } } }[] = [];
    const receiver: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://robot");
        const ts = url.searchParams.get("timestamp") ?? "";
        const expected = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
        seen.push({ path: url.pathname, verified: url.searchParams.get("sign") === expected, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        // 钉钉 answers 200 with an errcode; the 企业微信 robot here has been removed from its group.
        const answer = url.pathname === "/robot/send" ? { errcode: 0, errmsg: "ok" } : { errcode: 93000, errmsg: "invalid webhook url" };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    try {
      const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const dept = await makeOrg(iso.database);
      const ding = await dept.as("deptAdmin").notifications.saveWebhook({
        name: "钉钉群",
        format: "dingtalk",
        url: `${base}/robot/send?access_token=ding-token`,
        secret,
        events: ["request_decided"],
      });
      const wecom = await dept.as("deptAdmin").notifications.saveWebhook({
        name: "企业微信群",
        format: "wecom",
        url: `${base}/cgi-bin/webhook/send?key=wecom-key`,
        events: ["request_decided"],
      });
      await requestIn(dept, "dept_approved");
      expect(await dispatchDue(iso.database.db, dispatcher())).toMatchObject({ sent: 1, failed: 1, retrying: 0 });
      const dingSeen = seen.find((s) => s.path === "/robot/send");
      expect(dingSeen?.verified).toBe(true);
      expect(dingSeen?.body.msgtype).toBe("markdown");
      expect(dingSeen?.body.markdown?.title).toMatch(/已通过部门审批$/);
      const log = await dept.as("deptAdmin").notifications.deliveries();
      const byHook = Object.fromEntries(log.map((d) => [d.webhookId, d]));
      expect(byHook[ding.id]).toMatchObject({ status: "sent", attempts: 1 });
      expect(byHook[wecom.id]).toMatchObject({ status: "failed", attempts: 1, lastCode: 200, lastError: "errcode 93000: invalid webhook url" });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("lets each person read and mark only their own notifications", async () => {
    const { request } = await requestIn(org, "submitted");
    const admin = org.as("deptAdmin");
    const page = await admin.notifications.list({ filter: "unread" });
    const item = page.items.find((n) => n.link === `/requests/${request.id}`);
    expect(item).toBeDefined();
    expect((await admin.notifications.unread()).count).toBe(page.unread);

    const stranger = callerFor(iso.database, await makeUser(iso.database, org.dept.id, ["applicant"]));
    expect((await stranger.notifications.list()).items.map((n) => n.id)).not.toContain(item!.id);
    expect(await stranger.notifications.markRead({ ids: [item!.id] }).catch((e: TRPCError) => e.code)).toBe("NOT_FOUND");
    expect((await admin.notifications.list({ filter: "unread" })).items.map((n) => n.id)).toContain(item!.id);

    expect(await admin.notifications.markRead({ ids: [item!.id] })).toEqual({ read: 1 });
    expect((await admin.notifications.list({ filter: "read" })).items.map((n) => n.id)).toContain(item!.id);
    await admin.notifications.markAllRead();
    expect((await admin.notifications.unread()).count).toBe(0);
    const trail = await iso.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.actorName, org.people.deptAdmin.username), sql`${auditLog.action} like 'notification.%'`));
    expect(trail.map((t) => t.action)).toEqual(expect.arrayContaining(["notification.read", "notification.read_all", "notification.preferences"]));
  });

  it("drops read notifications and finished deliveries past their keeping time, never unread ones", async () => {
    const old = new Date(Date.now() - 400 * 86_400_000);
    const user = await makeUser(iso.database, org.dept.id, ["applicant"]);
    const row = (key: string, readAt: Date | null) => ({
      userId: user.id,
      event: "low_rating" as const,
      params: {},
      link: "/",
      dedupKey: key,
      readAt,
      createdAt: old,
    });
    await iso.database.db.insert(notifications).values([row("old-read", old), row("old-unread", null), row("new-read", new Date())]);
    const delivery = (key: string, status: "sent" | "pending") => ({
      channel: "email" as const,
      userId: user.id,
      target: "x@example.gov.cn",
      event: "low_rating" as const,
      params: {},
      link: "/",
      dedupKey: key,
      status,
      updatedAt: old,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
    });
    await iso.database.db.insert(notificationDeliveries).values([delivery("old-sent", "sent"), delivery("old-pending", "pending")]);
    await purgeNotifications(iso.database.db);
    expect((await notificationsOf(user.id)).map((n) => n.dedupKey).sort()).toEqual(["new-read", "old-unread"]);
    const left = await iso.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, user.id));
    expect(left.map((d) => d.dedupKey)).toEqual(["old-pending"]);
  });

  it("refuses bad input and keeps what was there", async () => {
    const admin = org.as("deptAdmin");
    const before = await admin.notifications.preferences();
    expect(await admin.notifications.setPreferences({ email: "not-an-address", events: [] }).catch((e: TRPCError) => e.code)).toBe("BAD_REQUEST");
    const twice = [
      { event: "low_rating" as const, portal: true, email: false },
      { event: "low_rating" as const, portal: false, email: true },
    ];
    expect(await admin.notifications.setPreferences({ email: null, events: twice }).catch((e: TRPCError) => e.code)).toBe("BAD_REQUEST");
    expect(await admin.notifications.preferences()).toEqual(before);
    const bad = await admin.notifications
      .saveWebhook({ name: "x", format: "wecom", url: "ftp://example.org/hook", events: ["approval_waiting"] })
      .catch((e: TRPCError) => e.code);
    expect(bad).toBe("BAD_REQUEST");
    expect(await admin.notifications.saveWebhook({ name: "x", format: "wecom", events: ["approval_waiting"] }).catch((e: TRPCError) => e.code)).toBe(
      "BAD_REQUEST",
    );
  });
});
