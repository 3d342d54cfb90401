/** Messages in Chinese or English, chosen by LC_ALL / LC_MESSAGES / LANG (Chinese unless the locale says otherwise). */
const MESSAGES = {
  loggedIn: { zh: "已登录 {url}：{name}（{roles}）", en: "Logged in to {url} as {name} ({roles})" },
  needUrl: { zh: "请用 --url 或 ZHENGYUN_URL 指定门户地址", en: "Give the portal address with --url or ZHENGYUN_URL" },
  loggedOut: { zh: "已退出登录", en: "Logged out" },
  notLoggedIn: { zh: "尚未登录：请先运行 zhengyun login", en: "Not logged in: run zhengyun login first" },
  needCredentials: {
    zh: "请提供 --token，或 --username 与密码（--password 或 ZHENGYUN_PASSWORD）",
    en: "Give --token, or --username and a password (--password or ZHENGYUN_PASSWORD)",
  },
  needCode: { zh: "此账号需要动态口令：请用 --code 或 ZHENGYUN_CODE 提供", en: "This account needs an authenticator code: give --code or ZHENGYUN_CODE" },
  finishInBrowser: {
    zh: "登录尚需在浏览器中完成一步（{step}：修改口令或绑定动态口令），完成后再运行 zhengyun login",
    en: "Sign-in needs one step in the browser first ({step}: change the password or set up an authenticator), then run zhengyun login again",
  },
  unreachable: { zh: "无法连接政云门户 {url}：{error}", en: "Cannot reach the portal at {url}: {error}" },
  filed: { zh: "已提交申请 #{number}（{id}），状态：{state}", en: "Filed request #{number} ({id}), state: {state}" },
  drafted: { zh: "已保存申请草稿 #{number}（{id}）", en: "Saved draft request #{number} ({id})" },
  stateNow: { zh: "申请 {id} 现在的状态：{state}", en: "Request {id} is now {state}" },
  watchDone: { zh: "申请 #{number} 已生效（{phase}）", en: "Request #{number} is active ({phase})" },
  watchEnded: { zh: "申请 #{number} 已结束：{state}{reason}", en: "Request #{number} ended: {state}{reason}" },
  watchTimeout: { zh: "等待超时：申请仍为 {state}", en: "Timed out: the request is still {state}" },
  exported: { zh: "已导出 {count} 条分配记录", en: "Exported {count} allocations" },
  chainOk: { zh: "审计链完整：已校验 {checked}/{total} 条，末条哈希 {hash}", en: "Audit chain intact: {checked}/{total} entries checked, last hash {hash}" },
  chainBroken: {
    zh: "审计链被破坏：第 {seq} 条（{reason}），已校验 {checked}/{total}",
    en: "Audit chain broken at entry {seq} ({reason}); {checked}/{total} checked",
  },
  noReport: { zh: "该系统尚无合规证据报告", en: "No evidence report for this system yet" },
  empty: { zh: "（无）", en: "(none)" },
  more: { zh: "还有更多：加 --cursor {cursor} 查看下一页", en: "More: add --cursor {cursor} for the next page" },
} as const;

export type MessageKey = keyof typeof MESSAGES;

export function locale(env: NodeJS.ProcessEnv = process.env): "zh" | "en" {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^en/i.test(tag) ? "en" : "zh";
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[key][locale()].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}

/** Column headers and state names. */
const WORDS: Record<string, { zh: string; en: string }> = {
  name: { zh: "名称", en: "Name" },
  department: { zh: "单位", en: "Department" },
  level: { zh: "等级", en: "Level" },
  zone: { zh: "区域", en: "Zone" },
  phase: { zh: "状态", en: "Phase" },
  id: { zh: "编号", en: "ID" },
  number: { zh: "单号", en: "No." },
  system: { zh: "系统", en: "System" },
  kind: { zh: "类型", en: "Kind" },
  state: { zh: "状态", en: "State" },
  requester: { zh: "申请人", en: "Requester" },
  updated: { zh: "更新时间", en: "Updated" },
  at: { zh: "时间", en: "At" },
  by: { zh: "操作人", en: "By" },
  step: { zh: "步骤", en: "Step" },
  note: { zh: "备注", en: "Note" },
  resources: { zh: "资源", en: "Resources" },
  control: { zh: "控制项", en: "Control" },
  status: { zh: "结果", en: "Status" },
  namespace: { zh: "命名空间", en: "Namespace" },
  granted: { zh: "已分配", en: "Granted" },
  segments: { zh: "网段", en: "Segments" },
  draft: { zh: "草稿", en: "draft" },
  submitted: { zh: "待单位审批", en: "submitted" },
  dept_approved: { zh: "待运维审批", en: "dept approved" },
  ops_approved: { zh: "待安全审批", en: "ops approved" },
  security_approved: { zh: "安全已审批", en: "security approved" },
  provisioning: { zh: "开通中", en: "provisioning" },
  active: { zh: "已生效", en: "active" },
  failed: { zh: "失败", en: "failed" },
  rejected: { zh: "已驳回", en: "rejected" },
  withdrawn: { zh: "已撤回", en: "withdrawn" },
  expired: { zh: "已到期", en: "expired" },
};

export function w(word: string): string {
  return WORDS[word]?.[locale()] ?? word;
}
