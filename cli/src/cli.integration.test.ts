/**
 * The `zhengyun` command, run as a process against a real portal on real PostgreSQL: login with a
 * password and with a token, file → approve through every stage → watch until active, --json
 * output parsed, exit codes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { hashPassword } from "@zhengyun/portal/auth/passwords";
import { buildApp } from "@zhengyun/portal/server/app";
import { enrolTotp, totpCode } from "@zhengyun/portal/test/auth/totp";
import { makeOrg, makeUser, type Org, TEST_RATE_LIMITS, testDatabase } from "@zhengyun/portal/test/harness";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/zhengyun.mjs", import.meta.url));
let app: FastifyInstance;
let url: string;
let org: Org;
const homes: string[] = [];
const PASSWORD = "Cli-test-password-1";

beforeAll(async () => {
  const db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: "cli-test-secret-cli-test-secret", rateLimits: TEST_RATE_LIMITS });
  await app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  org = await makeOrg(db);
});
afterAll(async () => {
  await app?.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** Runs the CLI with its own config home; resolves with its exit code and output. */
function zhengyun(home: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: home, LANG: "en_US.UTF-8", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
const json = <T = Record<string, unknown>>(r: { stdout: string }) => JSON.parse(r.stdout) as T;

async function personWithPassword(roles: Parameters<typeof makeUser>[2]) {
  const db = await testDatabase();
  const user = await makeUser(db, org.dept.id, roles, await hashPassword(PASSWORD));
  const home = mkdtempSync(path.join(tmpdir(), "zy-cli-"));
  homes.push(home);
  // Platform roles sign in with a second factor: enrolled here, its current code given to login.
  const needsCode = roles.some((r) => ["ops", "security", "auditor", "sysadmin"].includes(r));
  const code = needsCode ? ["--code", await totpCode(db, user.id, await enrolTotp(db, user.id))] : [];
  const login = await zhengyun(home, ["login", "--url", url, "--username", user.username, "--password", PASSWORD, ...code, "--json"]);
  expect(login.code, login.stderr).toBe(0);
  return { user, home };
}

// Each call starts a Node process with tsx: give the multi-step journeys room on a busy machine.
describe("zhengyun CLI", { timeout: 240_000 }, () => {
  it("refuses to work before login (exit 3) and on bad usage (exit 2)", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "zy-cli-"));
    homes.push(home);
    expect((await zhengyun(home, ["systems"])).code).toBe(3);
    expect((await zhengyun(home, ["requests", "frobnicate"])).code).toBe(2);
    expect((await zhengyun(home, ["login", "--url", url, "--username", "nobody", "--password", "wrong-password"])).code).toBe(3);
    const zh = await zhengyun(home, ["systems"], { LANG: "zh_CN.UTF-8" });
    expect(zh.stderr).toContain("尚未登录");
  });

  it("files, approves through every stage and watches the request until active", async () => {
    const applicant = await personWithPassword(["applicant"]);
    const mode = statSync(path.join(applicant.home, "zhengyun", "config.json")).mode & 0o777;
    expect(mode).toBe(0o600);
    const deptAdmin = await personWithPassword(["dept_admin"]);
    const ops = await personWithPassword(["ops"]);
    const security = await personWithPassword(["security"]);

    const system = await org.as("applicant").systems.register({ name: "命令行测试系统", purpose: "CLI 端到端", level: 3, zone: "internal" });
    await org.grade(system.id, 3);
    // The system is the caller's department's, so the applicant sees it.
    const systems = json<{ id: string }[]>(await zhengyun(applicant.home, ["systems", "--json"]));
    expect(systems.some((s) => s.id === system.id)).toBe(true);
    expect((await zhengyun(applicant.home, ["systems"])).stdout).toContain("命令行测试系统");

    const filed = await zhengyun(applicant.home, [
      "requests",
      "file",
      "--system",
      system.id,
      "--vcpu",
      "2",
      "--memory",
      "4",
      "--encrypted",
      "10",
      "--justification",
      "CLI test",
      "--json",
    ]);
    expect(filed.code, filed.stderr).toBe(0);
    const request = json<{ id: string; state: string }>(filed);
    expect(request.state).toBe("submitted");

    // The applicant may not approve: forbidden → exit 4. Unknown id → exit 4. Bad input → exit 2.
    expect((await zhengyun(applicant.home, ["requests", "approve", request.id])).code).toBe(4);
    expect((await zhengyun(deptAdmin.home, ["requests", "show", "00000000-0000-4000-8000-000000000000"])).code).toBe(4);
    expect((await zhengyun(deptAdmin.home, ["requests", "reject", request.id, "--reason", "x"])).code).toBe(2);

    for (const [who, state] of [
      [deptAdmin, "dept_approved"],
      [ops, "ops_approved"],
      [security, "provisioning"],
    ] as const) {
      const r = await zhengyun(who.home, ["requests", "approve", request.id, "--note", "ok", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(json(r).state).toBe(state);
    }

    const watching = zhengyun(applicant.home, ["watch", request.id, "--interval", "0.2", "--json"]);
    await new Promise((r) => setTimeout(r, 1500));
    await completeProvisioning((await testDatabase()).db, request.id, { ok: true });
    const watched = await watching;
    expect(watched.code, watched.stderr).toBe(0);
    const events = watched.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { state: string; step?: string; done?: boolean });
    expect(events.at(-1)).toMatchObject({ state: "active", done: true });
    expect(events.filter((e) => e.step).map((e) => e.step)).toEqual(expect.arrayContaining([expect.stringContaining("provisioning")]));

    // An active request cannot be withdrawn: refused by the workflow → exit 5, with the problem in --json.
    const refused = await zhengyun(applicant.home, ["requests", "withdraw", request.id, "--json"]);
    expect(refused.code).toBe(5);
    expect(json<{ problem: { code: string } }>(refused).problem.code).toBe("INVALID_STATE");

    const shown = await zhengyun(applicant.home, ["requests", "show", request.id, "--json"]);
    expect(json(shown)).toMatchObject({ id: request.id, state: "active" });
    const listed = json<{ id: string }[]>(await zhengyun(applicant.home, ["requests", "list", "--mine", "--state", "active", "--json"]));
    expect(listed.map((r) => r.id)).toContain(request.id);

    const exported = await zhengyun(ops.home, ["allocations", "export", "--format", "csv"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split("\r\n")[0]).toBe("system_id,system,namespace,department,phase,granted,used,segments,expires_at");
    expect(exported.stdout).toContain(system.id);
    const asJson = json<{ systemId: string }[]>(await zhengyun(ops.home, ["allocations", "export", "--format", "json"]));
    expect(asJson.some((a) => a.systemId === system.id)).toBe(true);

    const evidence = await zhengyun(applicant.home, ["evidence", "show", system.id, "--json"]);
    expect(evidence.code).toBe(0);
    expect(json<{ system: { id: string } }>(evidence).system.id).toBe(system.id);
  });

  it("logs in with an API token and verifies the audit chain", async () => {
    const auditor = await personWithPassword(["auditor"]);
    const token = await org.as("auditor").tokens.create({ name: "审计脚本", roles: ["auditor"], expiresInDays: 7 });
    const home = mkdtempSync(path.join(tmpdir(), "zy-cli-"));
    homes.push(home);
    const login = await zhengyun(home, ["login", "--url", url, "--token", token.secret]);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(home, "zhengyun", "config.json"), "utf8"))).toEqual({ url, token: token.secret });
    const verified = await zhengyun(home, ["audit", "verify", "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(json(verified).ok).toBe(true);
    expect((await zhengyun(auditor.home, ["audit", "verify"])).stdout).toContain("Audit chain intact");
    // Beyond the token's roles: forbidden, exit 4.
    expect((await zhengyun(home, ["requests", "queue", "--stage", "ops"])).code).toBe(4);
    await org.as("auditor").tokens.revoke({ id: token.id });
    expect((await zhengyun(home, ["whoami"])).code).toBe(3);
  });

  it("pages lists: one page with the next page's cursor, --cursor for the next, --all for every row", async () => {
    const applicant = await personWithPassword(["applicant"]);
    for (let i = 0; i < 3; i++) await org.newSystem(2, "internal", { graded: false });
    const all = json<{ id: string }[]>(await zhengyun(applicant.home, ["systems", "--all", "--limit", "2", "--json"]));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);

    const first = await zhengyun(applicant.home, ["systems", "--limit", "2", "--json"]);
    expect(json<{ id: string }[]>(first).map((s) => s.id)).toEqual(all.slice(0, 2).map((s) => s.id));
    const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor, first.stderr).toBeDefined();
    const second = json<{ id: string }[]>(await zhengyun(applicant.home, ["systems", "--limit", "2", "--cursor", cursor!, "--json"]));
    expect(second.map((s) => s.id)).toEqual(all.slice(2, 4).map((s) => s.id));

    // Out of range, or a cursor the portal did not give out: usage errors, exit 2.
    expect((await zhengyun(applicant.home, ["systems", "--limit", "0"])).code).toBe(2);
    expect((await zhengyun(applicant.home, ["systems", "--cursor", "forged"])).code).toBe(2);
    expect((await zhengyun(applicant.home, ["requests", "list", "--cursor", "abc"])).code).toBe(2);
  });
});
