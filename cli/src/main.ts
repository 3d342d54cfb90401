// zhengyun: the portal's REST API from a terminal. Human tables by default, --json for scripts,
// exit codes in exit-codes.ts.

import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { Command, CommanderError, Option } from "commander";
import { apiClient, CliError } from "./client.js";
import { type CliConfig, configPath, loadConfig, removeConfig, saveConfig } from "./config.js";
import { EXIT } from "./exit-codes.js";
import { t, w } from "./i18n.js";
import { byNumber, collect, limitOption, type Page, type PageOptions } from "./paging.js";
import { csv, quantities, table } from "./table.js";
import { watchRequest } from "./watch.js";

type Json = Record<string, unknown>;

const program = new Command("zhengyun")
  .description("政云命令行 / Zhengyun command line")
  .option("--json", "输出 JSON，供脚本使用 / print JSON for scripts")
  .option("--url <url>", "门户地址（覆盖登录时保存的地址） / portal address (overrides the saved one)")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const asJson = () => Boolean(program.opts().json);
const out = (human: string, json: unknown) => process.stdout.write(asJson() ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);

function session(): CliConfig {
  const saved = loadConfig();
  const url = (program.opts().url as string | undefined) ?? saved?.url;
  if (!saved || !url || (!saved.token && !saved.session)) throw new CliError(t("notLoggedIn"), EXIT.AUTH);
  return { ...saved, url };
}
const api = () => apiClient(session());

/** `--limit`, `--cursor` and `--all` on a list command whose pages hold at most `max` rows. */
const paged = (command: Command, max: number, byDefault: number) =>
  command
    .option("--limit <n>", `每页条数（1–${max}） / rows per page (1–${max})`, limitOption(max), byDefault)
    .option("--cursor <cursor>", "从上一页给出的位置继续 / continue from where the previous page ended")
    .option("--all", "取回全部页 / fetch every page");

/** Prints a page: a table (and, when more follow, how to get the next page on stderr), or its rows as JSON. */
function outPage(page: Page<Json>, human: () => string) {
  out(page.items.length ? human() : t("empty"), page.items);
  if (page.nextCursor) process.stderr.write(`${t("more", { cursor: page.nextCursor })}\n`);
}
const when = (v: unknown) => (typeof v === "string" ? v.replace("T", " ").slice(0, 19) : "-");

program
  .command("login")
  .description(
    "登录并保存凭据到 ~/.config/zhengyun/config.json（用 --url 或 ZHENGYUN_URL 指定门户） / log in and save the credential (portal from --url or ZHENGYUN_URL)",
  )
  .option("--token <token>", "API 令牌 / an API token (zy_…); or set ZHENGYUN_TOKEN")
  .option("--username <name>", "用户名 / user name (password login)")
  .option("--password <password>", "密码 / password; or set ZHENGYUN_PASSWORD, or be asked")
  .option("--code <code>", "动态口令或恢复码 / authenticator code or a recovery code (accounts with a second factor); or be asked")
  .action(async (opts: { token?: string; username?: string; password?: string; code?: string }) => {
    const url = (program.opts().url as string | undefined) ?? process.env.ZHENGYUN_URL;
    if (!url) throw new CliError(t("needUrl"), EXIT.USAGE);
    const token = opts.token ?? process.env.ZHENGYUN_TOKEN;
    let config: CliConfig;
    if (token) {
      config = { url, token };
    } else if (opts.username) {
      let password = opts.password ?? process.env.ZHENGYUN_PASSWORD;
      if (!password && process.stdin.isTTY) {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        password = await rl.question("密码 / Password: ");
        rl.close();
      }
      if (!password) throw new CliError(t("needCredentials"), EXIT.USAGE);
      const res = await apiClient({ url }).raw("POST", "/api/v1/session", { username: opts.username, password });
      if (!res.ok) {
        const problem = (await res.json().catch(() => ({}))) as Json;
        throw new CliError(`${problem.code ?? res.status}: ${problem.detail ?? res.statusText}`, res.status === 400 ? EXIT.USAGE : EXIT.AUTH, problem);
      }
      config = { url, session: await finishSignIn(url, res, opts.code) };
    } else {
      throw new CliError(t("needCredentials"), EXIT.USAGE);
    }
    const me = await apiClient(config).get<Json>("/me");
    saveConfig(config);
    out(t("loggedIn", { url, name: String(me.displayName), roles: (me.roles as string[]).join(", ") }), { ...me, config: configPath() });
  });

const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0]
    ?.slice(name.length + 1);

/**
 * The steps after the password: a second factor is answered here (--code, or asked on a
 * terminal); a forced password change or an authenticator enrolment is done once in the browser.
 */
async function finishSignIn(url: string, first: Response, code: string | undefined): Promise<string> {
  const { next } = (await first.json().catch(() => ({}))) as { next?: string };
  const session = cookieValue(first, "zy_session");
  if (session) return session;
  if (next !== "totp") throw new CliError(t("finishInBrowser", { step: String(next) }), EXIT.AUTH);
  let answer = code ?? process.env.ZHENGYUN_CODE;
  if (!answer && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    answer = await rl.question("动态口令 / Authenticator code: ");
    rl.close();
  }
  if (!answer) throw new CliError(t("needCode"), EXIT.USAGE);
  const res = await fetch(new URL("/trpc/auth.secondFactor", url), {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `zy_signin=${cookieValue(first, "zy_signin") ?? ""}` },
    body: JSON.stringify({ code: answer }),
  });
  const secured = cookieValue(res, "zy_session");
  if (!res.ok || !secured) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new CliError(`UNAUTHENTICATED: ${body.error?.message ?? res.statusText}`, EXIT.AUTH);
  }
  return secured;
}

program
  .command("logout")
  .description("删除保存的凭据 / forget the saved credential")
  .action(async () => {
    const saved = loadConfig();
    if (saved?.session)
      await apiClient(saved)
        .send("DELETE", "/session")
        .catch(() => undefined);
    removeConfig();
    out(t("loggedOut"), { ok: true });
  });

program
  .command("whoami")
  .description("当前身份 / who the saved credential acts as")
  .action(async () => {
    const me = await api().get<Json>("/me");
    out(`${me.displayName} (${me.username}) ${(me.roles as string[]).join(", ")}`, me);
  });

paged(program.command("systems").description("信息系统列表 / list information systems"), 1000, 100)
  .option("--ungraded", "只看未定级 / only those not yet graded")
  .action(async (opts: PageOptions & { ungraded?: boolean }) => {
    const client = api();
    const page = await collect((cursor, limit) => client.get<Page<Json>>("/systems", { ungraded: opts.ungraded, limit, cursor }), opts);
    outPage(page, () =>
      table(
        [w("id"), w("name"), w("department"), w("level"), w("zone"), w("phase")],
        page.items.map((s) => [String(s.id), String(s.name), String(s.departmentName), `L${s.level}`, String(s.zone), (s.phase as string | null) ?? "-"]),
      ),
    );
  });

const requests = program.command("requests").description("资源申请 / resource requests");

/** A request number from --cursor (the lists of requests page below the last number seen). */
const beforeNumber = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(cursor)) throw new CliError(`--cursor: ${cursor}`, EXIT.USAGE);
  return cursor;
};

paged(requests.command("list").description("申请列表（新的在前） / list requests, newest first"), 500, 50)
  .addOption(new Option("--state <state...>", "按状态 / by state"))
  .option("--system <id>", "某系统的 / of one system")
  .option("--mine", "我提交的 / filed by me")
  .action(async (opts: PageOptions & { state?: string[]; system?: string; mine?: boolean }) => {
    const client = api();
    const page = await collect(
      async (cursor, limit) =>
        byNumber(
          await client.get<(Json & { number: number })[]>("/requests", {
            states: opts.state,
            systemId: opts.system,
            mine: opts.mine,
            limit,
            beforeNumber: beforeNumber(cursor),
          }),
          limit,
        ),
      opts,
    );
    outPage(page, () =>
      table(
        [w("number"), w("id"), w("system"), w("kind"), w("state"), w("requester"), w("updated")],
        page.items.map((r) => [
          `#${r.number}`,
          String(r.id),
          String(r.systemName),
          String(r.kind),
          w(String(r.state)),
          String(r.requesterName),
          when(r.updatedAt),
        ]),
      ),
    );
  });

requests
  .command("show <id>")
  .description("申请详情 / one request")
  .action(async (id: string) => {
    const r = await api().get<Json>(`/requests/${encodeURIComponent(id)}`);
    const transitions = r.transitions as Json[];
    const human = [
      `#${r.number} ${r.systemName} · ${r.kind} · ${w(String(r.state))}`,
      `${w("department")}: ${r.departmentName}    ${w("requester")}: ${r.requesterName}`,
      `${w("resources")}: ${quantities(r.target as Record<string, number>)}`,
      `${w("granted")}: ${quantities(r.currentGrant as Record<string, number>)}`,
      "",
      table(
        [w("at"), w("state"), w("by"), w("note")],
        transitions.map((x) => [when(x.at), w(String(x.to)), (x.actorName as string | null) ?? "platform", (x.note as string | null) ?? ""]),
      ),
    ].join("\n");
    out(human, r);
  });

requests
  .command("file")
  .description("提交资源申请 / file a resource request")
  .requiredOption("--system <id>", "信息系统 / the system")
  .requiredOption("--justification <text>", "申请理由 / why the resources are needed")
  .addOption(new Option("--kind <kind>", "new | change | release").choices(["new", "change", "release"]).default("new"))
  .option("--vcpu <n>", "vCPU")
  .option("--memory <gib>", "内存 / memory GiB")
  .option("--storage <gib>", "标准存储 / standard storage GiB")
  .option("--ssd <gib>", "SSD 存储 / SSD storage GiB")
  .option("--encrypted <gib>", "加密存储 / encrypted storage GiB")
  .option("--egress-mbps <n>", "出口带宽 / egress Mbps")
  .option("--segment-prefix <n>", "网段前缀 / network segment prefix (24–28)")
  .option("--draft", "只保存草稿 / save as a draft, do not submit")
  .action(async (opts: Record<string, string | boolean | undefined>) => {
    const num = (v: unknown) => (v === undefined ? undefined : Number(v));
    const resources = Object.fromEntries(
      Object.entries({
        vcpu: num(opts.vcpu),
        memory_gib: num(opts.memory),
        storage_standard_gib: num(opts.storage),
        storage_ssd_gib: num(opts.ssd),
        storage_encrypted_gib: num(opts.encrypted),
        egress_mbps: num(opts.egressMbps),
      }).filter(([, v]) => v !== undefined),
    );
    const created = await api().send<Json>("POST", "/requests", {
      systemId: opts.system,
      kind: opts.kind,
      resources,
      segmentPrefix: num(opts.segmentPrefix) ?? null,
      justification: opts.justification,
      submit: !opts.draft,
    });
    out(t(opts.draft ? "drafted" : "filed", { number: String(created.number), id: String(created.id), state: w(String(created.state)) }), created);
  });

const stateChange =
  (action: string, bodyOf: (opts: Json) => Json, path = "requests") =>
  async (id: string, opts: Json) => {
    const result = await api().send<Json>("POST", `/${path}/${encodeURIComponent(id)}/${action}`, bodyOf(opts));
    out(t("stateNow", { id, state: w(String(result.state)) }), result);
  };

requests
  .command("approve <id>")
  .description("审批通过（当前阶段） / approve at the request's current stage")
  .option("--note <text>", "审批意见 / a note")
  .action(stateChange("approve", (o) => ({ note: (o.note as string | undefined) ?? null }), "approvals"));
requests
  .command("reject <id>")
  .description("驳回 / reject")
  .requiredOption("--reason <text>", "驳回理由 / the reason the applicant will see")
  .action(stateChange("reject", (o) => ({ reason: o.reason }), "approvals"));
requests
  .command("withdraw <id>")
  .description("撤回 / withdraw")
  .option("--reason <text>", "撤回原因 / why")
  .action(stateChange("withdraw", (o) => ({ reason: (o.reason as string | undefined) ?? null })));
paged(requests.command("queue").description("待审批队列（新的在前） / the approval queue of a stage, newest first"), 200, 100)
  .addOption(new Option("--stage <stage>", "dept | ops | security").choices(["dept", "ops", "security"]).makeOptionMandatory())
  .action(async (opts: PageOptions & { stage: string }) => {
    const client = api();
    const page = await collect(
      async (cursor, limit) =>
        byNumber(await client.get<(Json & { number: number })[]>("/approvals", { stage: opts.stage, limit, beforeNumber: beforeNumber(cursor) }), limit),
      opts,
    );
    outPage(page, () =>
      table(
        [w("number"), w("id"), w("system"), w("department"), w("resources")],
        page.items.map((r) => [`#${r.number}`, String(r.id), String(r.systemName), String(r.departmentName), quantities(r.target as Record<string, number>)]),
      ),
    );
  });

program
  .command("watch <request>")
  .description("实时显示开通进度，直到生效或失败 / follow provisioning until active or failed")
  .option("--interval <seconds>", "刷新间隔 / poll interval", "1")
  .option("--timeout <seconds>", "最长等待 / give up after", "900")
  .action(async (id: string, opts: { interval: string; timeout: string }) => {
    const code = await watchRequest(api(), id, { intervalMs: Number(opts.interval) * 1000, timeoutMs: Number(opts.timeout) * 1000, json: asJson() });
    process.exitCode = code;
  });

const allocations = program.command("allocations").description("资源分配 / allocations");
allocations
  .command("export")
  .description("导出全部分配 / export every allocation the caller may see")
  .addOption(new Option("--format <format>", "csv | json").choices(["csv", "json"]).default("csv"))
  .option("--output <file>", "写入文件 / write to a file instead of stdout")
  .action(async (opts: { format: "csv" | "json"; output?: string }) => {
    const client = api();
    const rows: Json[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.get<Page<Json>>("/allocations", { limit: 200, cursor });
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const text =
      opts.format === "json" || asJson()
        ? `${JSON.stringify(rows, null, 2)}\n`
        : csv(
            ["system_id", "system", "namespace", "department", "phase", "granted", "used", "segments", "expires_at"],
            rows.map((r) => [
              String(r.systemId),
              String(r.systemName),
              String(r.namespace),
              String(r.departmentCode),
              String(r.phase),
              quantities(r.granted as Record<string, number>),
              quantities(r.used as Record<string, number>),
              (r.segments as { cidr: string }[]).map((s) => s.cidr).join(" "),
              (r.expiresAt as string | null) ?? "",
            ]),
          );
    if (opts.output) {
      writeFileSync(opts.output, text);
      process.stderr.write(`${t("exported", { count: rows.length })}\n`);
    } else process.stdout.write(text);
  });

const audit = program.command("audit").description("审计 / audit");
audit
  .command("verify")
  .description("校验审计日志哈希链 / verify the audit log's hash chain")
  .action(async () => {
    const v = await api().get<Json>("/audit/verify");
    if (v.ok) out(t("chainOk", { checked: Number(v.checked), total: Number(v.total), hash: String(v.lastHash).slice(0, 16) }), v);
    else {
      out(t("chainBroken", { seq: Number(v.firstBrokenSeq), reason: String(v.reason), checked: Number(v.checked), total: Number(v.total) }), v);
      process.exitCode = EXIT.FAILED;
    }
  });

const evidence = program.command("evidence").description("合规证据 / compliance evidence");
evidence
  .command("show <system>")
  .description("某系统的等保合规证据 / a system's MLPS evidence report")
  .action(async (systemId: string) => {
    const d = await api().get<Json>(`/evidence/${encodeURIComponent(systemId)}`);
    const report = d.report as { generatedAt: string; summary: Json; controls: { id: string; title: { zh: string; en: string }; status: string }[] } | null;
    const system = d.system as Json;
    if (!report) {
      out(`${system.name}: ${t("noReport")}`, d);
      return;
    }
    const zh = !/^en/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "");
    const s = report.summary;
    out(
      [
        `${system.name} · L${system.level} · ${system.zone} · ${when(report.generatedAt)}`,
        `enforced ${s.enforced} · exempted ${s.exempted} · drifted ${s.drifted} / ${s.total}`,
        "",
        table(
          [w("control"), w("name"), w("status")],
          report.controls.map((c) => [c.id, zh ? c.title.zh : c.title.en, c.status]),
        ),
      ].join("\n"),
      d,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else if (err instanceof CliError) {
    if (asJson()) process.stdout.write(`${JSON.stringify({ error: err.message, exitCode: err.exitCode, problem: err.problem ?? null })}\n`);
    process.stderr.write(`zhengyun: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`zhengyun: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = EXIT.ERROR;
  }
}
