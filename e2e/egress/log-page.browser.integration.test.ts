// 出口访问日志 in a real browser on the real server: access-log lines, as the gateway's Squid writes
// them, are stored by the controller's ingest (attributed by gateway port) and shown on the page. A
// security officer sees every department's connections and narrows them to the refused ones; a
// department admin sees only their own systems'. The page is photographed (test-artifacts/screenshots/
// egress-log.png).

import { storeLogLines } from "@zhengyun/controller/egress/store";
import { egressPorts } from "@zhengyun/db/schema";
import { type Browser, launchBrowser, screenshot } from "@zhengyun/portal/test/browser/browser";
import { makeOrgWithPasswords } from "@zhengyun/portal/test/browser/people";
import { ensureUiBuilt, type RunningPortal, startPortal } from "@zhengyun/portal/test/browser/portal";
import { signIn, signOut } from "@zhengyun/portal/test/browser/session";
import { type IsolatedDatabase, isolatedDatabase, makeOrg, type Org } from "@zhengyun/portal/test/harness";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let isolated: IsolatedDatabase;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;

/** One line of the gateway's access log (logformat `zhengyun` in controller/src/egress/render.ts). */
function line(
  minutesAgo: number,
  port: number,
  method: string,
  host: string,
  hostPort: number,
  status: number,
  squid: string,
  out: number,
  inBytes: number,
  ms: number,
) {
  const at = (Date.now() - minutesAgo * 60_000) / 1000;
  return `zy1 ${at.toFixed(3)} ${port} 10.244.0.23 ${method} ${host} ${hostPort} ${status} ${squid} ${out} ${inBytes} ${ms}`;
}

beforeAll(async () => {
  ensureUiBuilt();
  isolated = await isolatedDatabase("zy_egress_page");
  org = await makeOrgWithPasswords(isolated.database);
  const other = await makeOrg(isolated.database);
  const ours = await org.newSystem(2, "external");
  const theirs = await other.newSystem(2, "external");
  const base = 40000 + Math.floor(Math.random() * 20000);
  await isolated.database.db.insert(egressPorts).values([
    { systemId: ours.id, port: base },
    { systemId: theirs.id, port: base + 1 },
  ]);
  const stored = await storeLogLines(isolated.database.db, [
    line(50, base, "CONNECT", "data.stats.gov.cn", 443, 200, "TCP_TUNNEL", 1833, 1002400, 8012),
    line(40, base, "GET", "api.open-data.example.com", 80, 200, "TCP_MISS", 212, 334, 9),
    line(30, base, "GET", "files.example.org", 80, 403, "TCP_DENIED", 205, 3553, 0),
    line(20, base, "CONNECT", "pypi.org", 443, 403, "TCP_DENIED", 180, 3640, 0),
    line(15, base + 1, "GET", "www.other-city.gov.cn", 80, 200, "TCP_MISS", 198, 5120, 14),
    line(10, 3128, "GET", "api.open-data.example.com", 80, 403, "TCP_DENIED", 212, 3569, 0),
  ]);
  expect(stored.lines).toBe(6);
  portal = await startPortal(isolated.database);
  browser = await launchBrowser();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await isolated?.drop();
});

describe("出口访问日志 in the browser", () => {
  it("shows a security officer every connection, and narrows them to the refused ones", async () => {
    await signIn(page, portal.url, org.people.security.username);
    await page.goto(`${portal.url}/egress/log`);
    await page.getByText("共 6 条").waitFor();
    for (const host of ["data.stats.gov.cn:443", "pypi.org:443", "www.other-city.gov.cn:80"]) await page.getByText(host, { exact: true }).waitFor();
    await page.getByText("（无对应系统）").waitFor();
    // The sign-in notice closed, so that the picture is the page itself.
    await page.getByTestId("sign-in-notice").getByRole("button").click();
    await page.getByTestId("sign-in-notice").waitFor({ state: "detached" });
    await screenshot(page, "egress-log");

    await page.getByLabel("结果").click();
    await page.locator('.ant-select-item-option[title="拒绝"]').click();
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByText("共 3 条").waitFor();
    expect(await page.getByText("data.stats.gov.cn:443", { exact: true }).count()).toBe(0);
    await page.getByText("pypi.org:443", { exact: true }).waitFor();
    await signOut(page);
  });

  it("shows a department admin only their own systems' connections", async () => {
    await signIn(page, portal.url, org.people.deptAdmin.username);
    await page.goto(`${portal.url}/egress/log`);
    await page.getByText("共 4 条").waitFor();
    await page.getByText("data.stats.gov.cn:443", { exact: true }).waitFor();
    expect(await page.getByText("www.other-city.gov.cn:80", { exact: true }).count()).toBe(0);
  });

  it("raised no errors in the page, and the CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
