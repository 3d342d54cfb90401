/**
 * The bell and the notification centre in a real browser, served by the real server: a department
 * admin with work waiting sees the unread count, opens 通知中心, marks one read and then all, sets
 * mail preferences, and sees the department's webhook with its delivery log.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { notificationPreferences, notificationSettings } from "@zhengyun/db/schema";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUTH_POLICY } from "../src/auth/policy.js";
import { dispatchDue } from "../src/services/notifications/dispatch.js";
import { type Browser, launchBrowser } from "./browser/browser.js";
import { makeOrgWithPasswords, PASSWORD } from "./browser/people.js";
import { ensureUiBuilt, type RunningPortal, startPortal } from "./browser/portal.js";
import { type IsolatedDatabase, isolatedDatabase, type Org, requestIn } from "./harness.js";

/** Where the pictures of this page go for review. */
const SHOTS = process.env.ZHENGYUN_SHOTS_DIR ?? "/work/wt/shots";

let isolated: IsolatedDatabase;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;
/** The department's robot, down for maintenance: every post is answered 503. */
let robot: Server;

async function shot(name: string, clip?: { x: number; y: number; width: number; height: number }) {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(SHOTS, `${name}.png`), ...(clip ? { clip } : {}) });
}

beforeAll(async () => {
  ensureUiBuilt();
  isolated = await isolatedDatabase("zy_notify_ui");
  org = await makeOrgWithPasswords(isolated.database);
  // Two requests wait for the department admin; a webhook whose receiver is down has a retry pending.
  robot = createServer((req, res) => req.resume().on("end", () => res.writeHead(503).end("maintenance")));
  await new Promise<void>((resolve) => robot.listen(0, "127.0.0.1", () => resolve()));
  await org.as("deptAdmin").notifications.saveWebhook({
    name: "部门值班群",
    format: "wecom",
    url: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=demo-robot-key`,
    events: ["approval_waiting", "request_decided", "drift_detected"],
  });
  await requestIn(org, "submitted");
  await requestIn(org, "submitted");
  await dispatchDue(isolated.database.db, { mail: null, mailFrom: "zhengyun@localhost", secretKey: DEFAULT_AUTH_POLICY.secretKey, timeoutMs: 2_000 });
  portal = await startPortal(isolated.database);
  browser = await launchBrowser();
  page = browser.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await new Promise((resolve) => (robot ? robot.close(resolve) : resolve(undefined)));
  await isolated?.drop();
});

describe("the bell and the notification centre", () => {
  it("shows the unread count in the header", async () => {
    await page.goto(`${portal.url}/login`);
    await page.getByLabel("用户名").fill(org.people.deptAdmin.username);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/dept");
    const bell = page.getByRole("button", { name: "通知（2 条未读）" });
    await bell.waitFor();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await shot("notify-bell", { x: 720, y: 0, width: 720, height: 64 });
    await shot("notify-bell-page");
  });

  it("opens 通知中心 from the bell, marks one read, then all", async () => {
    await page.getByTestId("notification-bell").click();
    await page.waitForURL((url) => url.pathname === "/notifications");
    await page.getByRole("heading", { name: "通知中心" }).waitFor();
    const unread = page.locator('[data-testid="notification-item"][data-unread="true"]');
    await expect.poll(() => unread.count()).toBe(2);
    await page
      .getByText(/^待部门审批：申请 #\d+/)
      .first()
      .waitFor();
    await shot("notify-centre");

    await unread.first().getByRole("button", { name: "标为已读" }).click();
    await page.getByRole("button", { name: "通知（1 条未读）" }).waitFor();
    await page.getByText("未读 (1)").click();
    await expect.poll(() => page.getByTestId("notification-item").count()).toBe(1);
    await page.getByTestId("mark-all-read").click();
    await page.getByText("已将 1 条通知标为已读").waitFor();
    await page.getByRole("button", { name: "通知", exact: true }).waitFor();
    await page.getByText("全部", { exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="notification-item"][data-unread="false"]').count()).toBe(2);
  });

  it("saves mail preferences per event", async () => {
    const prefs = page.getByTestId("notification-preferences");
    await prefs.getByLabel("接收邮箱").fill("li.qiang@example.gov.cn");
    await prefs.getByLabel("收到差评 邮件").uncheck();
    await prefs.getByRole("button", { name: "保存偏好" }).click();
    await page.getByText("已保存通知偏好").waitFor();
    const [settings] = await isolated.database.db.select().from(notificationSettings).where(eq(notificationSettings.userId, org.people.deptAdmin.id));
    expect(settings?.email).toBe("li.qiang@example.gov.cn");
    const off = await isolated.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, org.people.deptAdmin.id));
    expect(off.filter((p) => !p.enabled).map((p) => `${p.event}:${p.channel}`)).toEqual(["low_rating:email"]);
  });

  it("shows the department's webhook and its delivery log, without the robot's key", async () => {
    await page.getByRole("link", { name: "通知渠道" }).click();
    await page.waitForURL((url) => url.pathname === "/dept/webhooks");
    await page.getByText("已保存通知偏好").waitFor({ state: "detached" });
    await page.getByText("部门值班群").first().waitFor();
    await page.getByText("等待重试").first().waitFor();
    await page.getByText("HTTP 503 maintenance").first().waitFor();
    expect(await page.content()).not.toContain("demo-robot-key");
    await shot("notify-webhooks");
  });

  it("raised no errors in the page, and the CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
