/**
 * Every role's work in a real browser, in Chinese: an applicant registers a level 3 system and
 * files a request, the department admin, ops and the security officer approve it in turn, and
 * the request shows as provisioning until the real controller, run here against the local control
 * plane, applies it and the page turns active; plus a rejection, a rating that surfaces to ops, the
 * auditor's chain check, separation of duties for the system admin, and session expiry.
 */

import { type IsolatedDatabase, isolatedDatabase, startController, stateDir, testConfig, untilActive } from "@zhengyun/controller/testing/fixtures";
import type { Database } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { CONTROLS } from "@zhengyun/policies/definitions";
import { type Browser, launchBrowser, screenshot } from "@zhengyun/portal/test/browser/browser";
import { makeOrgWithPasswords } from "@zhengyun/portal/test/browser/people";
import { ensureUiBuilt, type RunningPortal, startPortal } from "@zhengyun/portal/test/browser/portal";
import { signIn as signInAs, signOut as signOutOf } from "@zhengyun/portal/test/browser/session";
import { type Org, unique } from "@zhengyun/portal/test/harness";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

type Person = keyof Org["people"];

let isolated: IsolatedDatabase;

/**
 * The step the controller takes: it claims the provisioning request, applies it on the local
 * control plane with the Pulumi engine and reports it active. The journey then checks that the
 * applicant's page turns "active" on its own.
 */
async function runControllerUntilActive(db: Database, requestId: string): Promise<boolean> {
  const state = await stateDir();
  const controller = await startController(db, testConfig(isolated.url, state.dir));
  try {
    await untilActive(db, requestId);
  } finally {
    await controller.stop(10_000);
    await state.remove();
  }
  return true;
}

let database: Database;
let portal: RunningPortal;
let browser: Browser;
let org: Org;
let page: Page;

const journey = {
  systemName: unique("e2e三级系统"),
  requestId: "",
  requestNumber: 0,
  rejected: { id: "", number: 0, systemName: "" },
  rated: { id: "", number: 0 },
  ratingComment: unique("审批太慢"),
};

const at = (path: string) => `${portal.url}${path}`;

/** Password, then the authenticator's code for the platform roles. */
const signIn = (who: Person) => signInAs(page, portal.url, org.people[who].username);

const signOut = () => signOutOf(page);

/** Opens a page from the menu and waits for it (the previous page stays up while the next loads). */
async function openFromMenu(name: string): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

/** Narrows a table to one row by its filter box, and returns that row. */
async function rowFor(text: string) {
  await page.getByLabel("搜索", { exact: true }).fill(text);
  const row = page.getByRole("row").filter({ hasText: text });
  await row.first().waitFor();
  return row.first();
}

async function stateOnPage(): Promise<string | null> {
  return page.getByTestId("request-state").locator("[data-state]").getAttribute("data-state");
}

beforeAll(async () => {
  ensureUiBuilt();
  // A database of its own, so the controller reconciles only this journey's systems.
  isolated = await isolatedDatabase("zy_e2e");
  database = isolated.database;
  org = await makeOrgWithPasswords(database);
  portal = await startPortal(database);
  browser = await launchBrowser();
  page = browser.page;

  // A second request for the department admin to reject.
  const other = await org.newSystem(2, "internal");
  const toReject = await org
    .as("applicant")
    .requests.create({ systemId: other.id, kind: "new", resources: { vcpu: 2, memory_gib: 4 }, justification: "临时测试环境", submit: true });
  const otherSystem = await org.as("applicant").systems.get({ id: other.id });
  journey.rejected = { id: toReject.id, number: toReject.number, systemName: otherSystem.name };

  // A completed request for the applicant to rate (the controller's report made through the service).
  const done = await org.newSystem(2, "external");
  const finished = await org.as("applicant").requests.create({
    systemId: done.id,
    kind: "new",
    resources: { vcpu: 16, memory_gib: 64, storage_standard_gib: 500, egress_mbps: 50 },
    segmentPrefix: 27,
    justification: "门户网站扩容",
    submit: true,
  });
  await org.as("deptAdmin").requests.approve({ id: finished.id });
  await org.as("ops2").requests.approve({ id: finished.id });
  await completeProvisioning(database.db, finished.id, { ok: true });
  journey.rated = { id: finished.id, number: finished.number };
}, 240_000);

// A failing step leaves a picture of what the browser showed.
afterEach(async ({ task }) => {
  if (task.result?.state === "fail" && page) await screenshot(page, `failed-${task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await isolated?.drop();
});

describe("the portal in the browser", () => {
  it("opens in Chinese, switches to English and back", async () => {
    await page.goto(at("/"));
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByRole("heading", { name: "登录" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await screenshot(page, "00-login");
    await page.getByText("English", { exact: true }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByText("中文", { exact: true }).click();
    await page.getByRole("heading", { name: "登录" }).waitFor();

    // A wrong password is refused in plain words, and the password field is emptied.
    await page.getByLabel("用户名").fill(org.people.auditor.username);
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "登录失败" })
      .getByText(/用户名或密码错误/)
      .waitFor();
    expect(await page.getByLabel("密码").inputValue()).toBe("");

    // This server has no SSO configured: the button says so instead of failing somewhere else.
    await page.getByRole("link", { name: "使用政务统一身份认证登录" }).click();
    await page.getByText("本平台尚未配置统一身份认证，请使用用户名和密码登录。").waitFor();
  });

  it("applicant registers a level 3 system and files a request through the wizard", async () => {
    await signIn("applicant");
    await page.waitForURL((url) => url.pathname === "/systems");
    await page.getByRole("heading", { name: "我的信息系统" }).waitFor();

    await page.getByRole("button", { name: "登记信息系统" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("系统名称").fill(journey.systemName);
    await dialog.getByLabel("用途").fill("社会保障业务办理，含个人敏感信息");
    await dialog.getByRole("radio", { name: /等保三级/ }).check();
    await dialog.getByRole("radio", { name: /政务外网/ }).check();
    await dialog.getByRole("button", { name: "登记信息系统" }).click();
    await page.getByText(`已登记信息系统“${journey.systemName}”`).waitFor();

    const row = page.getByRole("row").filter({ hasText: journey.systemName });
    await row.locator('[data-level="3"]').waitFor();
    await row.locator('[data-zone="external"]').waitFor();
    await screenshot(page, "01-applicant-systems");

    await row.getByRole("link", { name: "申请资源" }).click();
    await page.waitForURL((url) => url.pathname === "/requests/new");
    await page.getByText("该系统尚无资源，将作为新申请提交。").waitFor();

    // Compute: more than the department has left is refused live.
    const vcpu = page.getByLabel("vCPU", { exact: true });
    await vcpu.fill("2000");
    await page
      .getByText(/超出本单位剩余配额/)
      .first()
      .waitFor();
    await vcpu.fill("4");
    await page.getByLabel("内存", { exact: true }).fill("8");
    await page.getByRole("button", { name: "下一步" }).click();

    // Storage: level 3 may only use the encrypted class.
    expect(await page.getByLabel("标准存储", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel("SSD 存储", { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel("加密存储", { exact: true }).fill("100");
    await page.getByRole("button", { name: "下一步" }).click();

    // Network: a /26 segment and one allowed destination (external zone, below level 4).
    await page.getByLabel("新网段").click();
    await page.locator(".ant-select-item-option").filter({ hasText: "/26" }).click();
    await page.getByRole("button", { name: "添加目的地址" }).click();
    await page.getByLabel("目的主机或地址 1").fill("api.example.gov.cn");
    await screenshot(page, "02-applicant-wizard-network");
    await page.getByRole("button", { name: "下一步" }).click();

    await page.getByLabel("申请理由").fill("社保业务系统上云，需计算、加密存储和独立网段");
    await page.getByRole("button", { name: "下一步" }).click();

    await page.getByText("请确认申请内容").waitFor();
    await page.getByText("api.example.gov.cn:443").waitFor();
    await page.getByRole("button", { name: "提交申请" }).click();
    await page.waitForURL((url) => /^\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
    journey.requestId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.getByTestId("request-state").waitFor();
    expect(await stateOnPage()).toBe("submitted");
    const detail = await org.as("applicant").requests.get({ id: journey.requestId });
    journey.requestNumber = detail.number;
    expect(detail.target).toMatchObject({ vcpu: 4, memory_gib: 8, storage_encrypted_gib: 100, segments: 1 });
    expect(detail.egress).toEqual([{ host: "api.example.gov.cn", port: 443 }]);
    expect(detail.segmentPrefix).toBe(26);
    await screenshot(page, "03-applicant-request-submitted");
    await signOut();
  });

  it("department admin sees the quota chart, approves the request and rejects another with a reason", async () => {
    await signIn("deptAdmin");
    await page.waitForURL((url) => url.pathname === "/dept");
    await page.locator("canvas").first().waitFor();
    await screenshot(page, "04-dept-admin-overview");

    await openFromMenu("部门审批");
    const row = await rowFor(journey.systemName);
    await row.getByRole("button", { name: /^批准/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${journey.requestNumber}`).waitFor();

    const other = await rowFor(journey.rejected.systemName);
    await screenshot(page, "05-dept-admin-approvals");
    await other.getByRole("button", { name: /^驳回/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "驳回" }).click();
    await dialog.getByText("请填写驳回理由，申请人将看到它").waitFor();
    await dialog.getByLabel("驳回理由").fill("测试环境请使用部门现有资源");
    await dialog.getByRole("button", { name: "驳回" }).click();
    await page.getByText(`已驳回申请 #${journey.rejected.number}`).waitFor();

    expect((await org.as("applicant").requests.get({ id: journey.requestId })).state).toBe("dept_approved");
    expect((await org.as("applicant").requests.get({ id: journey.rejected.id })).state).toBe("rejected");
    await signOut();
  });

  it("ops sees the capacity impact against the department ceiling and approves", async () => {
    await signIn("ops");
    await page.waitForURL((url) => url.pathname === "/ops/approvals");
    const row = await rowFor(journey.systemName);
    await row.getByTestId("capacity-impact").getByText("在配额内").waitFor();
    await row.getByText("加密存储 +100").waitFor();
    await screenshot(page, "06-ops-approvals");
    await row.getByRole("button", { name: /^批准/ }).click();
    await page
      .getByRole("dialog")
      .getByLabel(/审批意见/)
      .fill("容量充足");
    await page.getByRole("dialog").getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${journey.requestNumber}`).waitFor();
    expect((await org.as("applicant").requests.get({ id: journey.requestId })).state).toBe("ops_approved");

    await openFromMenu("部门配额上限");
    await rowFor(org.dept.code);
    await screenshot(page, "07-ops-ceilings");
    await openFromMenu("集群容量");
    await page.locator("canvas").first().waitFor();
    await screenshot(page, "08-ops-capacity");
    await signOut();
  });

  it("security officer grades the system, then approves the level 3 request: provisioning, then active once the controller applies it", async () => {
    await signIn("security");
    await page.waitForURL((url) => url.pathname === "/security/approvals");
    // The system is not graded yet: its request waits for the grading, and cannot be approved.
    const waiting = await rowFor(journey.systemName);
    await waiting.getByText("待定级").waitFor();
    await screenshot(page, "09-security-approvals-awaiting-grading");

    await openFromMenu("定级备案");
    const system = await rowFor(journey.systemName);
    await screenshot(page, "10-security-grading");
    await system.getByRole("button", { name: /^定级/ }).click();
    await page.getByRole("dialog").getByLabel("等保备案编号").fill("32100043003-26001");
    await page.getByRole("dialog").getByRole("button", { name: "定级" }).click();
    await page.getByText(`已定级“${journey.systemName}”为等保三级`).waitFor();

    await openFromMenu("安全审批");
    const row = await rowFor(journey.systemName);
    await screenshot(page, "10b-security-approvals");
    await row.getByRole("button", { name: /^批准/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${journey.requestNumber}`).waitFor();

    await openFromMenu("策略豁免");
    await screenshot(page, "11-security-exemptions");

    // The catalog page shows at level 3 exactly the controls the catalog applies there.
    await openFromMenu("等保控制目录");
    await page.getByText("等保三级", { exact: true }).click();
    const level3 = CONTROLS.filter((c) => c.appliesAt(3));
    await page.getByTestId("catalog-count").getByText(`等保三级适用 ${level3.length} 项安全控制`).waitFor();
    for (const control of level3) {
      const row = page.locator(`tr[data-row-key="${control.id}"]`);
      await row.getByText(control.title.zh, { exact: true }).waitFor();
      await row.getByText(control.summary(3)!.zh).waitFor();
    }
    expect(await page.locator("tr[data-row-key]").count()).toBe(level3.length);
    await screenshot(page, "11b-security-catalog");
    await signOut();

    await signIn("applicant");
    await page.goto(at(`/requests/${journey.requestId}`));
    await page.getByTestId("provisioning").waitFor();
    expect(await stateOnPage()).toBe("provisioning");
    await page.getByText("部署中").first().waitFor();
    await screenshot(page, "12-applicant-request-provisioning");

    if (await runControllerUntilActive(database, journey.requestId)) {
      // The page polls every 2 s while provisioning: it turns active without a reload.
      await page.locator('[data-testid="request-state"] [data-state="active"]').waitFor({ timeout: 30_000 });
    }
  });

  it("applicant sees the rejection reason and rates a completed request", async () => {
    await page.goto(at(`/requests/${journey.rejected.id}`));
    await page.getByTestId("rejection").getByText("测试环境请使用部门现有资源").waitFor();

    await page.goto(at(`/requests/${journey.rated.id}`));
    const rating = page.getByTestId("rating");
    await rating.getByRole("radio").nth(1).click();
    await rating.getByLabel(/评价内容/).fill(journey.ratingComment);
    await rating.getByRole("button", { name: "提交评价" }).click();
    await page.getByText("感谢您的评价").waitFor();
    await page.getByTestId("rating").getByText("您的评价").waitFor();
    await screenshot(page, "13-applicant-rated");
    await signOut();

    await signIn("ops");
    await openFromMenu("服务评价");
    await page.getByText(journey.ratingComment).waitFor();
    await screenshot(page, "14-ops-ratings");
    await signOut();
  });

  it("security officer reads the active system's compliance evidence and prints the report", async () => {
    const atLevel3 = CONTROLS.filter((c) => c.appliesAt(3));
    await signIn("security");
    await openFromMenu("合规证据");
    const row = await rowFor(journey.systemName);
    // Read back from the cluster by the controller when it applied the system.
    await row.locator('[data-standing="enforced"]').waitFor();
    await row.getByText(`已落实 ${atLevel3.length}/${atLevel3.length}`).waitFor();
    await screenshot(page, "18-security-evidence");

    await row.getByRole("button", { name: journey.systemName }).click();
    const drawer = page.getByRole("dialog");
    await drawer.getByText(`合规证据：${journey.systemName}`).waitFor();
    await drawer.getByText("32100043003-26001").waitFor();
    for (const control of atLevel3) await drawer.getByRole("row").filter({ hasText: control.title.zh }).getByText("已落实").waitFor();
    await screenshot(page, "19-security-evidence-detail");

    // The printable report opens in a tab of its own, with the names people know.
    const [report] = await Promise.all([page.context().waitForEvent("page"), drawer.getByRole("link", { name: "打印报告" }).click()]);
    await report.waitForLoadState();
    expect(await report.title()).toContain("等级保护合规证据");
    await report.getByText(journey.systemName).waitFor();
    await report.getByText("32100043003-26001").waitFor();
    expect(await report.locator("section.control").count()).toBe(atLevel3.length);
    expect(await report.locator("section.control.enforced").count()).toBe(atLevel3.length);
    await screenshot(report, "20-evidence-report");
    await report.close();
    await drawer.getByRole("button", { name: /close|关闭/i }).click();
    await signOut();
  });

  it("auditor sees the chain verification first and can search the trail", async () => {
    await signIn("auditor");
    await page.waitForURL((url) => url.pathname === "/audit");
    await page.getByTestId("audit-verify").waitFor();
    await page.getByLabel("操作人").fill(org.people.applicant.username);
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByRole("cell", { name: "request.create" }).first().waitFor();
    await screenshot(page, "15-auditor-audit");

    // An anchor taken and downloaded, then loaded back from its file, checks intact.
    await page.getByRole("button", { name: "记录校验锚点" }).click();
    const taken = page.getByRole("dialog");
    await taken.getByTestId("anchor-taken").waitFor();
    const [anchorFile] = await Promise.all([page.waitForEvent("download"), taken.getByRole("button", { name: "下载锚点文件" }).click()]);
    await page.keyboard.press("Escape");
    await taken.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "核对锚点" }).click();
    const checking = page.getByRole("dialog");
    await checking.getByTestId("anchor-file").setInputFiles(await anchorFile.path());
    await checking.getByRole("button", { name: "核对", exact: true }).click();
    await checking.locator('[data-testid="anchor-verdict"][data-verdict="intact"]').waitFor();
    await screenshot(page, "15b-auditor-anchor");
    await page.keyboard.press("Escape");
    await signOut();
  });

  it("system admin assigns roles within separation of duties and sees the server's refusal", async () => {
    await signIn("sysadmin");
    await page.waitForURL((url) => url.pathname === "/admin/users");
    const auditor = await rowFor(org.people.auditor.username);
    await screenshot(page, "16-sysadmin-users");
    await auditor.getByRole("button", { name: /^分配角色/ }).click();
    const dialog = page.getByRole("dialog");
    const box = (role: string) => dialog.getByRole("checkbox", { name: new RegExp(`^${role}`) });
    expect(await box("审计管理员").isChecked()).toBe(true);
    expect(await box("系统管理员").isDisabled()).toBe(true);
    expect(await box("安全管理员").isDisabled()).toBe(true);
    await screenshot(page, "17-sysadmin-roles-dialog");
    await box("审计管理员").uncheck();
    expect(await box("安全管理员").isDisabled()).toBe(false);
    await dialog.getByRole("button", { name: "取消" }).click();
    await dialog.waitFor({ state: "detached" });

    // The server refuses what the form cannot know: changing one's own roles.
    const self = await rowFor(org.people.sysadmin.username);
    await self.getByRole("button", { name: /^分配角色/ }).click();
    await box("系统管理员").uncheck();
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.getByText("nobody may change their own roles").first().waitFor();
    await dialog.getByRole("button", { name: "取消" }).click();
  });

  it("sends people back to sign in when the session ends, saying why", async () => {
    await browser.context.clearCookies();
    await page.getByRole("navigation").getByRole("link", { name: "集群容量" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByText("会话已过期或已在其他地方退出，请重新登录。").waitFor();
    expect(new URL(page.url()).searchParams.get("next")).toBe("/ops/capacity");
  });

  it("raised no uncaught errors in the page, and the security headers' CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
