/**
 * Paged lists in a real browser: a department admin's approval queue longer than one page shows
 * "加载更多", and loading it brings the rest, to "没有更多记录". The same for the systems page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser } from "./browser/browser.js";
import { makeOrgWithPasswords, PASSWORD } from "./browser/people.js";
import { ensureUiBuilt, type RunningPortal, startPortal } from "./browser/portal.js";
import { type IsolatedDatabase, isolatedDatabase, type Org, requestIn } from "./harness.js";

/** One more than the approval queue's page (components/ApprovalQueue.tsx) and the systems page. */
const WAITING = 101;

let isolated: IsolatedDatabase;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;

beforeAll(async () => {
  ensureUiBuilt();
  isolated = await isolatedDatabase("zy_paging");
  org = await makeOrgWithPasswords(isolated.database);
  for (let i = 0; i < WAITING; i++) await requestIn(org, "submitted");
  portal = await startPortal(isolated.database);
  browser = await launchBrowser();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await isolated?.drop();
});

async function signIn(username: string) {
  await page.goto(`${portal.url}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

describe("paged lists in the browser", () => {
  it("the department's approval queue loads more until there is no more", async () => {
    await signIn(org.people.deptAdmin.username);
    await page.goto(`${portal.url}/dept/approvals`);
    await page.getByText("共 100 条").waitFor();
    await page.getByRole("button", { name: "加载更多" }).click();
    await page.getByText(`共 ${WAITING} 条`).waitFor();
    await page.getByText("没有更多记录").waitFor();
    expect(await page.getByRole("button", { name: "加载更多" }).count()).toBe(0);
  });

  it("the applicant's systems load more until there is no more", async () => {
    await page.context().clearCookies();
    await signIn(org.people.applicant.username);
    await page.goto(`${portal.url}/systems`);
    const more = page.getByRole("button", { name: "加载更多" });
    await more.waitFor();
    await more.click();
    await page.getByText("没有更多记录").waitFor();
    expect(await more.count()).toBe(0);
  });

  it("raised no errors in the page, and the CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
