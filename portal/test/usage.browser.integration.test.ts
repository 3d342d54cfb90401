/**
 * The usage and cost pages in a real browser on the real server: a department admin sees the
 * used-vs-granted chart over a seeded series, the idle grant flagged for reclaim, and the month's
 * report whose total is the API's; ops see every department, the price list and the auto-approval rules. Screenshots go to
 * /work/wt/shots/usage-*.png (or ZHENGYUN_SHOTS_DIR).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { usagePoints } from "@zhengyun/db/schema";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "./auth/totp.js";
import { type Browser, launchBrowser, settled } from "./browser/browser.js";
import { AUTHENTICATORS, makeOrgWithPasswords, PASSWORD } from "./browser/people.js";
import { ensureUiBuilt, type RunningPortal, startPortal } from "./browser/portal.js";
import { type IsolatedDatabase, isolatedDatabase, type Org, requestIn } from "./harness.js";

const SHOTS = process.env.ZHENGYUN_SHOTS_DIR ?? "/work/wt/shots";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let isolated: IsolatedDatabase;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;

async function shot(name: string, target?: ReturnType<Page["getByTestId"]>) {
  mkdirSync(SHOTS, { recursive: true });
  await settled(page);
  if (target) await target.screenshot({ path: join(SHOTS, `${name}.png`) });
  else await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Thirty days of hourly readings for a live system: a working-day rhythm under a grant raised once. */
async function seed() {
  const busy = await requestIn(org, "provisioning", { vcpu: 8 });
  await completeProvisioning(isolated.database.db, busy.request.id, { ok: true });
  const idle = await requestIn(org, "provisioning", { vcpu: 16 });
  await completeProvisioning(isolated.database.db, idle.request.id, { ok: true });
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const rows: (typeof usagePoints.$inferInsert)[] = [];
  for (let t = now - 30 * DAY; t < now; t += HOUR) {
    const hour = new Date(t + 8 * HOUR).getUTCHours();
    const granted = t < now - 12 * DAY ? 6 : 8;
    const used = Math.min(granted, 1 + (hour >= 9 && hour < 18 ? 4 + 2 * Math.sin((hour - 9) / 3) : 0.5) + ((t / HOUR) % 5) * 0.2);
    rows.push({
      systemId: busy.system.id,
      departmentId: org.dept.id,
      resource: "vcpu",
      resolution: "1h",
      bucket: new Date(t),
      samples: 12,
      usedAvg: used,
      usedMax: used + 0.5,
      grantedAvg: granted,
      grantedMax: granted,
    });
    rows.push({
      systemId: busy.system.id,
      departmentId: org.dept.id,
      resource: "memory_gib",
      resolution: "1h",
      bucket: new Date(t),
      samples: 12,
      usedAvg: 2.5,
      usedMax: 3,
      grantedAvg: 4,
      grantedMax: 4,
    });
  }
  for (let t = now - 35 * DAY; t < now; t += DAY) {
    rows.push({
      systemId: idle.system.id,
      departmentId: org.dept.id,
      resource: "vcpu",
      resolution: "1d",
      bucket: new Date(Math.floor(t / DAY) * DAY),
      samples: 288,
      usedAvg: 0.5,
      usedMax: 1,
      grantedAvg: 16,
      grantedMax: 16,
    });
  }
  for (let i = 0; i < rows.length; i += 500)
    await isolated.database.db
      .insert(usagePoints)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  return { busy, idle };
}

async function signIn(username: string, second = false) {
  await page.goto(`${portal.url}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  if (second) {
    const authenticator = AUTHENTICATORS.get(username)!;
    await page.getByLabel("动态口令").fill(await totpCode(authenticator.db, authenticator.userId, authenticator.secret));
    await page.getByRole("button", { name: "验证", exact: true }).click();
  }
}

let seeded: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  ensureUiBuilt();
  isolated = await isolatedDatabase("zy_usage_ui");
  org = await makeOrgWithPasswords(isolated.database);
  seeded = await seed();
  portal = await startPortal(isolated.database);
  browser = await launchBrowser();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await isolated?.drop();
});

describe("usage and cost pages", () => {
  it("show a department admin the usage chart, the idle grant and the month's report", async () => {
    await signIn(org.people.deptAdmin.username);
    await page.getByRole("menuitem", { name: "用量与费用" }).click();
    await page.waitForURL((url) => url.pathname === "/usage");
    await page.getByRole("heading", { name: "用量与费用" }).waitFor();
    await page.getByTestId("usage-chart").locator("canvas").first().waitFor();
    const idleRow = page.getByRole("row").filter({ hasText: (await org.as("applicant").systems.get({ id: seeded.idle.system.id })).name });
    await idleRow.getByText("3.1%").waitFor();
    await shot("usage-chart");

    const month = new Date().toISOString().slice(0, 7);
    const report = await org.as("deptAdmin").usage.monthly({ departmentId: org.dept.id, month });
    expect(report.totalFen).toBeGreaterThan(0);
    const total = (report.totalFen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    await expect.poll(() => page.getByTestId("monthly-total").textContent()).toBe(total);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "导出 Excel" }).click();
    expect((await download).suggestedFilename()).toBe(`usage-${report.department.code}-${month}.xlsx`);
    await page.getByTestId("monthly-report").scrollIntoViewIfNeeded();
    await shot("usage-monthly-report", page.getByTestId("monthly-report"));
  });

  it("show ops every department and the price list", async () => {
    await page.context().clearCookies();
    await signIn(org.people.ops.username, true);
    await page.getByRole("menuitem", { name: "用量与费用报表" }).click();
    await page.waitForURL((url) => url.pathname === "/ops/usage");
    await page.getByTestId("usage-chart").locator("canvas").first().waitFor();
    await page.getByRole("tab", { name: "价格表" }).click();
    await page.getByText("价格表版本 v0 · 内置默认价格").waitFor();
    await shot("usage-ops-prices");

    await org.as("ops").autoRules.save({
      departmentId: org.dept.id,
      name: "高负载小幅扩容",
      enabled: true,
      maxLevel: 2,
      maxGrowthPct: 50,
      minUsagePct: 70,
      minUsageDays: 7,
    });
    await page.getByRole("menuitem", { name: "自动审批规则" }).click();
    await page.waitForURL((url) => url.pathname === "/ops/auto-approval");
    const row = page.getByRole("row").filter({ hasText: "高负载小幅扩容" });
    await row.getByText("使用率 ≥ 70%（7 天）").waitFor();
    await row.getByText("已启用").waitFor();
    await shot("usage-auto-rules");
  });

  it("raised no errors in the page, and the CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
