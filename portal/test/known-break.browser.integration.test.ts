/**
 * The auditor's 审计日志 page in a real browser, served by the real server with its security
 * headers: a chain broken by the table's owner shows every break, the auditor acknowledges one as
 * a known break with a reason, and the verdict turns green; the page's CSP refuses nothing.
 */

import { appendAudit } from "@zhengyun/db/audit/append";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "./auth/totp.js";
import { type Browser, launchBrowser } from "./browser/browser.js";
import { AUTHENTICATORS, makeOrgWithPasswords, PASSWORD } from "./browser/people.js";
import { ensureUiBuilt, type RunningPortal, startPortal } from "./browser/portal.js";
import { type IsolatedDatabase, isolatedDatabase, type Org, unique } from "./harness.js";

let isolated: IsolatedDatabase;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;
let broken: number;

beforeAll(async () => {
  ensureUiBuilt();
  isolated = await isolatedDatabase("zy_kbreak");
  org = await makeOrgWithPasswords(isolated.database);
  const { seq } = await isolated.database.db.transaction((tx) =>
    appendAudit(tx, {
      actorId: null,
      actorName: "sso",
      actorRole: null,
      action: "auth.sso_refused",
      targetType: "user",
      targetId: "unknown",
      after: { reason: "written before text was made storable" },
      correlationId: unique("c"),
      at: new Date(),
    }),
  );
  broken = seq;
  // The owner rewrites the entry, as an entry hashed over text the database stored differently reads back.
  await isolated.database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await tx.execute(sql`update audit_log set after = '{"reason":"\uFFFD"}'::jsonb where seq = ${seq}`);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  });
  portal = await startPortal(isolated.database);
  browser = await launchBrowser();
  page = browser.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await isolated?.drop();
});

describe("the auditor's page", () => {
  it("serves the UI under a CSP without inline script", async () => {
    const res = await page.goto(`${portal.url}/login`);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    await page.getByRole("heading", { name: "登录" }).waitFor();
    // An inline script injected into the page is refused, and the refusal is seen.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement("script"), { textContent: "window.__inline = 1" })));
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    await expect.poll(() => browser.cspViolations.length).toBe(1);
    browser.cspViolations.length = 0;
  });

  it("lists the break, takes the auditor's acknowledgement with a reason, and turns green", async () => {
    await page.getByLabel("用户名").fill(org.people.auditor.username);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    // The auditor signs in with the authenticator the fixture enrolled.
    const authenticator = AUTHENTICATORS.get(org.people.auditor.username)!;
    await page.getByLabel("动态口令").fill(await totpCode(authenticator.db, authenticator.userId, authenticator.secret));
    await page.getByRole("button", { name: "验证", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/audit");
    await page.locator('[data-testid="audit-verify"][data-ok="false"]').waitFor();
    await page.getByTestId("audit-breaks").waitFor();
    await page.getByTestId(`break-${broken}-acknowledge`).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "确认", exact: true }).click();
    await dialog.getByText("请填写 4 至 500 字的理由").waitFor();
    await dialog.getByTestId("break-reason").fill("升级前写入的孤立代理项，已与数据库管理员核实");
    await dialog.getByRole("button", { name: "确认", exact: true }).click();
    await page.locator('[data-testid="audit-verify"][data-ok="true"]').waitFor();
    await page.getByTestId(`break-${broken}-acknowledged`).getByText("升级前写入的孤立代理项，已与数据库管理员核实").waitFor();
    await page.getByText(/1 处断链已由审计管理员确认为已知断链/).waitFor();
  });

  it("raised no errors in the page, and the CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
