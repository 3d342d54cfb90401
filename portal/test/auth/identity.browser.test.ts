/**
 * The identity journey in a real browser (Debian chromium, Chinese UI): the system admin signs in
 * with password and authenticator, creates an ops account and reads its temporary password once;
 * the new person changes it, sets up an authenticator from the QR code page, saves the recovery
 * codes, and later signs in with password and code, seeing when they last signed in.
 */

import type { Database } from "@zhengyun/db/client";
import { users } from "@zhengyun/db/schema";
import { AUTHENTICATORS, makeOrgWithPasswords } from "@zhengyun/portal/test/browser/people";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpFor } from "../../src/auth/totp.js";
import { type Browser, launchBrowser, screenshot } from "../browser/browser.js";
import { ensureUiBuilt, type RunningPortal, startPortal } from "../browser/portal.js";
import { fromUserMenu, signIn, signOut } from "../browser/session.js";
import { type Org, testDatabase, unique } from "../harness.js";

let database: Database;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;
const newcomer = { username: unique("ops."), displayName: "运维 新同事", password: "Newcomer-Passw0rd-1", temporary: "" };

beforeAll(async () => {
  ensureUiBuilt();
  database = await testDatabase();
  org = await makeOrgWithPasswords(database);
  portal = await startPortal(database);
  browser = await launchBrowser();
  page = browser.page;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
});

describe("two-factor sign-in in the browser", () => {
  it("the system admin signs in with password and code, and creates an account with a temporary password shown once", async () => {
    await signIn(page, portal.url, org.people.sysadmin.username);
    await page.waitForURL((url) => url.pathname === "/admin/users");
    await page.getByTestId("sign-in-notice").getByText("这是您首次登录本平台。").waitFor();

    await page.getByRole("button", { name: "新建账号" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#create-user_username").fill(newcomer.username);
    await dialog.locator("#create-user_displayName").fill(newcomer.displayName);
    await dialog.locator("#create-user_departmentId").click();
    await dialog.locator("#create-user_departmentId").fill(org.dept.code);
    await page.locator(".ant-select-item-option").filter({ hasText: org.dept.code }).first().click();
    await dialog.getByRole("checkbox", { name: /^平台运维/ }).check();
    // No field for a password: nobody chooses one for someone else.
    expect(await dialog.getByLabel("初始密码").count()).toBe(0);
    await dialog.getByRole("button", { name: "新建账号" }).click();
    const shown = page.getByTestId("temporary-password");
    await shown.waitFor();
    newcomer.temporary = ((await shown.locator("code").textContent()) ?? "").trim();
    expect(newcomer.temporary).toHaveLength(16);
    await screenshot(page, "30-temporary-password");
    await page.getByRole("button", { name: "知道了" }).click();
    await signOut(page);
  });

  it("the new person changes the temporary password, then sets up an authenticator from the QR code", async () => {
    await page.goto(`${portal.url}/login`);
    await page.getByLabel("用户名").fill(newcomer.username);
    await page.getByLabel("密码").fill(newcomer.temporary);
    await page.getByRole("button", { name: "登录", exact: true }).click();

    await page.getByRole("heading", { name: "设置新口令" }).waitFor();
    // The rules hold here too: the temporary password cannot be kept.
    await page.getByLabel("新口令", { exact: true }).fill(newcomer.temporary);
    await page.getByLabel("确认新口令").fill(newcomer.temporary);
    await page.getByRole("button", { name: "保存新口令" }).click();
    await page.getByText("must differ from the last 5 passwords").first().waitFor();
    await page.getByLabel("新口令", { exact: true }).fill(newcomer.password);
    await page.getByLabel("确认新口令").fill(newcomer.password);
    await page.getByRole("button", { name: "保存新口令" }).click();

    await page.getByRole("heading", { name: "绑定动态口令" }).waitFor();
    await page.getByTestId("totp-qr").waitFor();
    expect(await page.getByTestId("totp-qr").getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = ((await page.getByTestId("totp-secret").locator("code").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, "31-enrol-authenticator");
    // Nothing else opens until the sign-in completes.
    expect(page.url()).toContain("/login");

    await page.getByLabel("动态口令").fill("000000");
    await page.getByRole("button", { name: "绑定", exact: true }).click();
    await page.getByText("wrong code").first().waitFor();
    await page.getByLabel("动态口令").fill(totpFor(secret, newcomer.username).generate());
    await page.getByRole("button", { name: "绑定", exact: true }).click();

    const codes = page.getByTestId("recovery-codes").getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await screenshot(page, "32-recovery-codes");
    await page.getByRole("button", { name: "我已保存，进入平台" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.getByTestId("sign-in-notice").waitFor();

    const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, newcomer.username));
    AUTHENTICATORS.set(newcomer.username, { db: database, userId: row!.id, secret });
    await signOut(page);
  });

  it("later sign-ins ask for the code and show the last successful and failed sign-in", async () => {
    await page.goto(`${portal.url}/login`);
    await page.getByLabel("用户名").fill(newcomer.username);
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByText("wrong username or password").first().waitFor();

    await signIn(page, portal.url, newcomer.username, newcomer.password);
    const notice = page.getByTestId("sign-in-notice");
    await notice.getByText(/上次成功登录：\d{4}-\d{2}-\d{2} \d{2}:\d{2}，来自 127\.0\.0\.1/).waitFor();
    await notice.getByText(/最近一次登录失败：\d{4}-\d{2}-\d{2} \d{2}:\d{2}，来自 127\.0\.0\.1/).waitFor();
    await screenshot(page, "33-sign-in-notice");

    // The person changes their own password from the user menu; the rules apply.
    await fromUserMenu(page, "修改口令");
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("当前口令").fill(newcomer.password);
    await dialog.getByLabel("新口令", { exact: true }).fill("short");
    await dialog.getByLabel("确认新口令").fill("short");
    await dialog.getByRole("button", { name: /保\s*存/ }).click();
    await dialog.getByText("at least 10 characters").first().waitFor();
    await dialog.getByLabel("新口令", { exact: true }).fill("Changed-Passw0rd-22");
    await dialog.getByLabel("确认新口令").fill("Changed-Passw0rd-22");
    await dialog.getByRole("button", { name: /保\s*存/ }).click();
    await page.getByText("口令已修改；您在其他地方的会话已结束。").waitFor();
    await dialog.waitFor({ state: "detached" });
  });

  it("raised no uncaught errors in the page", () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
