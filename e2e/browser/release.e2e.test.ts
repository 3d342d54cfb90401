/**
 * Releasing a system in a real browser, in Chinese: a level 3 system is made active on the local
 * control plane by the real controller, then its applicant asks for its release from the systems
 * page (confirming it twice), the department admin and ops approve it in their pages, the
 * controller removes the namespace with everything in it, and the request ends released.
 */

import type { Controller } from "@zhengyun/controller/controller";
import {
  eventually,
  type IsolatedDatabase,
  isolatedDatabase,
  kubeClient,
  namespaceGone,
  startController,
  stateDir,
  testConfig,
  untilActive,
} from "@zhengyun/controller/testing/fixtures";
import type { Database } from "@zhengyun/db/client";
import { type Browser, launchBrowser, screenshot } from "@zhengyun/portal/test/browser/browser";
import { makeOrgWithPasswords } from "@zhengyun/portal/test/browser/people";
import { ensureUiBuilt, type RunningPortal, startPortal } from "@zhengyun/portal/test/browser/portal";
import { filteredRow, signIn, signOut, stateOnPage } from "@zhengyun/portal/test/browser/session";
import { type Org, unique } from "@zhengyun/portal/test/harness";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { approveAll } from "../controller/workflow.js";

let isolated: IsolatedDatabase;
let database: Database;
let state: Awaited<ReturnType<typeof stateDir>>;
let controller: Controller;
let portal: RunningPortal;
let browser: Browser;
let page: Page;
let org: Org;
const kube = kubeClient();

const subject = { id: "", name: unique("e2e待释放系统"), namespace: "", cidr: "", requestId: "", requestNumber: 0 };
const busy = { id: "", name: "", requestNumber: 0 };
const empty = { name: "" };

const at = (path: string) => `${portal.url}${path}`;
const as = (who: keyof Org["people"]) => signIn(page, portal.url, org.people[who].username);
const systemRow = (name: string) => page.getByRole("row").filter({ hasText: name });

beforeAll(async () => {
  ensureUiBuilt();
  // A database of its own, so the controller reconciles only this file's systems.
  isolated = await isolatedDatabase("zy_e2e_rel");
  database = isolated.database;
  org = await makeOrgWithPasswords(database);
  state = await stateDir();
  controller = await startController(database, testConfig(isolated.url, state.dir));

  // The system to release: level 3, granted, and live on the cluster with some data in its namespace.
  const registered = await org.as("applicant").systems.register({ name: subject.name, purpose: "即将下线的业务系统", level: 3, zone: "external" });
  const granting = await org.as("applicant").requests.create({
    systemId: registered.id,
    kind: "new",
    resources: { vcpu: 2, memory_gib: 4, storage_encrypted_gib: 20 },
    segmentPrefix: 28,
    justification: "业务系统上云",
    submit: true,
  });
  await approveAll(org, granting.id);
  await untilActive(database, granting.id);
  const live = await org.as("applicant").systems.get({ id: registered.id });
  Object.assign(subject, { id: registered.id, namespace: registered.namespace, cidr: live.segments[0]?.cidr ?? "" });
  await kube.core.readNamespace({ name: subject.namespace });
  await kube.core.createNamespacedConfigMap({
    namespace: subject.namespace,
    body: { metadata: { name: "business-records" }, data: { "records.csv": "id,name\n1,张三\n" } },
  });

  // A system with a request in flight, and one that holds nothing: neither can be released.
  const other = await org.newSystem(2, "internal");
  const pending = await org
    .as("applicant")
    .requests.create({ systemId: other.id, kind: "new", resources: { vcpu: 1, memory_gib: 2 }, justification: "测试环境", submit: true });
  Object.assign(busy, { id: other.id, name: (await org.as("applicant").systems.get({ id: other.id })).name, requestNumber: pending.number });
  const bare = await org.newSystem(1, "internal");
  empty.name = (await org.as("applicant").systems.get({ id: bare.id })).name;

  portal = await startPortal(database);
  browser = await launchBrowser();
  page = browser.page;
}, 300_000);

// A failing step leaves a picture of what the browser showed.
afterEach(async ({ task }) => {
  if (task.result?.state === "fail" && page)
    await screenshot(page, `failed-release-${task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await portal?.app.close();
  await controller?.stop(10_000);
  await state?.remove();
  await isolated?.drop();
});

describe("releasing a system in the browser", () => {
  it("offers the release only for a system that holds resources and has no request in flight", async () => {
    await as("applicant");
    await page.waitForURL((url) => url.pathname === "/systems");
    const row = systemRow(subject.name);
    await row.getByRole("link", { name: "申请释放" }).waitFor();

    const busyRow = systemRow(busy.name);
    expect(await busyRow.getByRole("button", { name: "申请释放" }).isDisabled()).toBe(true);
    await busyRow.getByTestId("release-blocked").getByText(`申请 #${busy.requestNumber} 办理中`).waitFor();
    const emptyRow = systemRow(empty.name);
    expect(await emptyRow.getByRole("button", { name: "申请释放" }).isDisabled()).toBe(true);
    await emptyRow.getByTestId("release-blocked").getByText("尚未分配资源").waitFor();
    await screenshot(page, "release-01-systems");
  });

  it("shows what will be given back and files the release only once it is confirmed", async () => {
    await systemRow(subject.name).getByRole("link", { name: "申请释放" }).click();
    await page.waitForURL((url) => url.pathname === `/systems/${subject.id}/release`);
    await page.getByRole("heading", { level: 1, name: /申请释放资源/ }).waitFor();
    const givenBack = page.getByTestId("given-back");
    await givenBack.getByText(subject.namespace, { exact: true }).waitFor();
    await givenBack.getByText(subject.cidr, { exact: true }).waitFor();
    await givenBack.getByText(/加密存储\s*20\s*GiB/).waitFor();
    await page
      .getByTestId("release-warning")
      .getByText(new RegExp(`删除命名空间 ${subject.namespace}`))
      .waitFor();
    await screenshot(page, "release-02-page");
    // The same page in English, then back to Chinese for the rest.
    await page.getByText("English", { exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /Request release of resources/ }).waitFor();
    await page.getByRole("checkbox", { name: /permanently deleted/ }).waitFor();
    await screenshot(page, "release-02-page-en");
    await page.getByText("中文", { exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /申请释放资源/ }).waitFor();

    // Nothing is filed without a reason and both confirmations.
    const submit = page.getByRole("button", { name: "提交释放申请" });
    await submit.click();
    await page.getByText("请填写释放理由（至少 4 个字）").waitFor();
    await page.getByText("请勾选，确认您已知晓数据将被删除").waitFor();
    await page.getByText(`请输入“${subject.name}”`).waitFor();
    await page.getByLabel("输入系统名称以确认").fill(`${subject.name}x`);
    await page.getByText(`与系统名称“${subject.name}”不一致`).waitFor();
    await screenshot(page, "release-03-confirmation-required");
    expect(await org.as("applicant").requests.list({ systemId: subject.id, states: ["draft", "submitted"] })).toEqual([]);

    // The rest by keyboard: Space ticks the acknowledgement, Enter in the last field submits.
    await page.getByLabel("释放理由").fill("系统已下线，业务已迁移至市级统一平台");
    await page.getByRole("checkbox", { name: /我已知晓/ }).focus();
    await page.keyboard.press("Space");
    expect(await page.getByRole("checkbox", { name: /我已知晓/ }).isChecked()).toBe(true);
    const confirm = page.getByLabel("输入系统名称以确认");
    await confirm.fill(subject.name);
    await confirm.press("Enter");

    await page.waitForURL((url) => /^\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
    subject.requestId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.getByTestId("request-state").waitFor();
    expect(await stateOnPage(page)).toBe("submitted");
    const filed = await org.as("applicant").requests.get({ id: subject.requestId });
    expect(filed).toMatchObject({ kind: "release", state: "submitted", justification: "系统已下线，业务已迁移至市级统一平台", target: {} });
    subject.requestNumber = filed.number;
    // The page speaks of what goes, not of resources asked for.
    await page.locator('[data-kind="release"]').first().waitFor();
    await page.getByText("释放内容").waitFor();
    expect(await page.getByText("申请总量").count()).toBe(0);
    await screenshot(page, "release-04-submitted");

    // The system now has a request in flight: its release cannot be asked for twice.
    await page.goto(at(`/systems/${subject.id}/release`));
    await page.getByText("无法申请释放").waitFor();
    await page.getByRole("link", { name: `查看申请 #${subject.requestNumber}` }).waitFor();
    await signOut(page);
  });

  it("department admin, ops and the security officer approve the release in their pages, warned of what it deletes", async () => {
    await as("deptAdmin");
    await page.goto(at("/dept/approvals"));
    await page.getByRole("heading", { level: 1, name: "部门审批" }).waitFor();
    let row = await filteredRow(page, subject.name);
    await row.locator('[data-kind="release"]').waitFor();
    await row.getByText("释放全部资源").waitFor();
    await row.getByRole("button", { name: /^批准/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(`批准后，平台将删除系统“${subject.name}”的命名空间及其中的全部工作负载和数据，无法恢复。`).waitFor();
    await screenshot(page, "release-05-dept-approve-dialog");
    await dialog.getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${subject.requestNumber}`).waitFor();
    await signOut(page);

    await as("ops");
    await page.waitForURL((url) => url.pathname === "/ops/approvals");
    row = await filteredRow(page, subject.name);
    await row.getByTestId("capacity-impact").getByText("归还配额").waitFor();
    await row.getByText("vCPU -2").waitFor();
    await screenshot(page, "release-06-ops-approvals");
    await row.getByRole("button", { name: /^批准/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${subject.requestNumber}`).waitFor();
    // Level 3: the security officer, who keeps the system's filing, approves its destruction too.
    expect((await org.as("ops").requests.get({ id: subject.requestId })).state).toBe("ops_approved");
    await signOut(page);

    await as("security");
    await page.waitForURL((url) => url.pathname === "/security/approvals");
    row = await filteredRow(page, subject.name);
    await row.locator('[data-kind="release"]').waitFor();
    await row.getByRole("button", { name: /^批准/ }).click();
    const securityDialog = page.getByRole("dialog");
    await securityDialog.getByText(`批准后，平台将删除系统“${subject.name}”的命名空间及其中的全部工作负载和数据，无法恢复。`).waitFor();
    await screenshot(page, "release-06b-security-approve-dialog");
    await securityDialog.getByRole("button", { name: "批准" }).click();
    await page.getByText(`已批准申请 #${subject.requestNumber}`).waitFor();
    const { state, transitions } = await org.as("security").requests.get({ id: subject.requestId });
    expect(["provisioning", "active"]).toContain(state);
    expect(transitions.map((tr) => tr.to)).toEqual(expect.arrayContaining(["dept_approved", "ops_approved", "provisioning"]));
    await signOut(page);
  });

  it("ends released once the controller has removed the namespace with everything in it", async () => {
    await as("applicant");
    await page.goto(at(`/requests/${subject.requestId}`));
    await page.locator('[data-testid="request-state"] [data-state="active"]').waitFor({ timeout: 180_000 });
    await page.getByTestId("request-state").getByText("已释放").waitFor();
    await page
      .getByTestId("release-done")
      .getByText(new RegExp(`命名空间 ${subject.namespace} 已删除`))
      .waitFor();
    // What went back stays on the page though the system now holds nothing.
    const givenBack = page.getByTestId("given-back");
    await givenBack.getByText(subject.cidr, { exact: true }).waitFor();
    await givenBack.getByText(/加密存储\s*20\s*GiB/).waitFor();
    await givenBack.getByText("已释放").waitFor();
    await page.locator('[data-testid="transition"][data-to="active"]').getByText("释放完成，资源已归还").waitFor();
    await screenshot(page, "release-07-released");

    expect(await eventually("the namespace to be gone", () => namespaceGone(kube.core, subject.namespace), 60_000)).toBe(true);
    const system = await org.as("applicant").systems.get({ id: subject.id });
    expect(system).toMatchObject({ phase: "released", holdsResources: false, granted: {}, segments: [] });

    await page.getByRole("navigation").getByRole("link", { name: "我的信息系统", exact: true }).click();
    const row = systemRow(subject.name);
    await row.getByText("已释放").first().waitFor();
    await row.getByTestId("release-blocked").getByText("资源已释放").waitFor();
    await screenshot(page, "release-08-systems-after");

    await page.getByRole("navigation").getByRole("link", { name: "我的申请", exact: true }).click();
    const listed = await filteredRow(page, subject.name);
    await listed.locator('[data-kind="release"]').waitFor();
    await listed.locator('[data-state="active"]').getByText("已释放").waitFor();
  });

  it("raised no uncaught errors in the page, and the security headers' CSP refused nothing", () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
