// The REST surface: each resource-style route names the tRPC procedure it calls. Schemas,
// roles, scoping, audit and errors are the procedure's own; nothing here restates them.

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RestRoute {
  method: Method;
  /** OpenAPI path under /api, with {param} segments that fill the procedure's input fields. */
  path: string;
  procedure: string;
  tag: string;
  summary: string;
  /** The success status: 201 for creations. */
  status?: 200 | 201;
}

export const REST_ROUTES: readonly RestRoute[] = [
  { method: "GET", path: "/v1/me", procedure: "auth.me", tag: "session", summary: "当前调用者 / The caller" },
  {
    method: "POST",
    path: "/v1/session",
    procedure: "auth.login",
    tag: "session",
    summary: "用户名密码登录，返回会话 Cookie / Sign in with a password (sets the session cookie)",
  },
  { method: "DELETE", path: "/v1/session", procedure: "auth.logout", tag: "session", summary: "退出登录 / Sign out" },

  { method: "GET", path: "/v1/systems", procedure: "systems.list", tag: "systems", summary: "信息系统列表 / List information systems" },
  { method: "POST", path: "/v1/systems", procedure: "systems.register", tag: "systems", summary: "登记信息系统 / Register a system", status: 201 },
  { method: "GET", path: "/v1/systems/{id}", procedure: "systems.get", tag: "systems", summary: "信息系统详情 / A system" },
  { method: "PATCH", path: "/v1/systems/{id}", procedure: "systems.update", tag: "systems", summary: "修改信息系统 / Update a system" },
  { method: "PUT", path: "/v1/systems/{id}/grade", procedure: "systems.grade", tag: "systems", summary: "确定等保级别 / Set the protection level" },

  { method: "GET", path: "/v1/requests", procedure: "requests.list", tag: "requests", summary: "资源申请列表 / List resource requests" },
  { method: "POST", path: "/v1/requests", procedure: "requests.create", tag: "requests", summary: "创建申请草稿 / Create a draft request", status: 201 },
  { method: "GET", path: "/v1/requests/{id}", procedure: "requests.get", tag: "requests", summary: "申请详情 / A request" },
  { method: "POST", path: "/v1/requests/{id}/submit", procedure: "requests.submit", tag: "requests", summary: "提交申请 / Submit a draft" },
  { method: "POST", path: "/v1/requests/{id}/withdraw", procedure: "requests.withdraw", tag: "requests", summary: "撤回申请 / Withdraw a request" },
  { method: "POST", path: "/v1/requests/{id}/rating", procedure: "requests.rate", tag: "requests", summary: "评价 / Rate a completed request", status: 201 },

  { method: "GET", path: "/v1/approvals", procedure: "requests.queue", tag: "approvals", summary: "待审批队列 / The approval queue of a stage" },
  { method: "POST", path: "/v1/approvals/{id}/approve", procedure: "requests.approve", tag: "approvals", summary: "审批通过 / Approve at the current stage" },
  { method: "POST", path: "/v1/approvals/{id}/reject", procedure: "requests.reject", tag: "approvals", summary: "驳回 / Reject with a reason" },

  { method: "GET", path: "/v1/allocations", procedure: "allocations.list", tag: "allocations", summary: "资源分配 / What each system holds" },

  { method: "GET", path: "/v1/evidence", procedure: "evidence.list", tag: "evidence", summary: "合规证据列表 / Compliance evidence per system" },
  { method: "GET", path: "/v1/evidence/{systemId}", procedure: "evidence.get", tag: "evidence", summary: "合规证据报告 / A system's evidence report" },
  {
    method: "POST",
    path: "/v1/evidence/{systemId}/refresh",
    procedure: "evidence.refresh",
    tag: "evidence",
    summary: "重新生成证据 / Ask for a fresh report",
    status: 201,
  },

  { method: "GET", path: "/v1/audit", procedure: "audit.search", tag: "audit", summary: "审计日志查询 / Search the audit log" },
  { method: "GET", path: "/v1/audit/verify", procedure: "audit.verify", tag: "audit", summary: "校验审计链 / Verify the hash chain" },
  { method: "POST", path: "/v1/audit/anchors", procedure: "audit.anchor", tag: "audit", summary: "生成审计锚点 / Take an anchor", status: 201 },
  { method: "POST", path: "/v1/audit/anchors/check", procedure: "audit.checkAnchor", tag: "audit", summary: "核对审计锚点 / Check a kept anchor" },

  { method: "GET", path: "/v1/departments", procedure: "departments.list", tag: "departments", summary: "单位列表 / Departments" },
  {
    method: "GET",
    path: "/v1/departments/{id}",
    procedure: "departments.overview",
    tag: "departments",
    summary: "单位配额与占用 / A department's ceiling and holdings",
  },

  { method: "GET", path: "/v1/notifications", procedure: "notifications.list", tag: "notifications", summary: "我的通知 / Your notifications" },
  {
    method: "POST",
    path: "/v1/notifications/read",
    procedure: "notifications.markRead",
    tag: "notifications",
    summary: "标记为已读 / Mark notifications read",
  },
  {
    method: "POST",
    path: "/v1/notifications/read-all",
    procedure: "notifications.markAllRead",
    tag: "notifications",
    summary: "全部标记为已读 / Mark all read",
  },
  {
    method: "GET",
    path: "/v1/webhook-deliveries",
    procedure: "notifications.deliveries",
    tag: "notifications",
    summary: "本单位 Webhook 投递记录 / Your department's webhook delivery log",
  },
  {
    method: "GET",
    path: "/v1/departments/{departmentId}/usage",
    procedure: "usage.series",
    tag: "usage",
    summary: "用量与分配量时间序列 / Used vs granted over time",
  },
  {
    method: "GET",
    path: "/v1/departments/{departmentId}/usage-report",
    procedure: "usage.monthly",
    tag: "usage",
    summary: "月度用量与费用报表 / The monthly usage and cost report (?month=YYYY-MM)",
  },
  {
    method: "GET",
    path: "/v1/departments/{departmentId}/usage-report/export",
    procedure: "usage.exportReport",
    tag: "usage",
    summary: "导出月度报表（Excel 或 CSV，base64） / Export the monthly report (Excel or CSV, base64)",
  },
  { method: "GET", path: "/v1/usage/idle", procedure: "usage.idle", tag: "usage", summary: "闲置资源（回收候选） / Idle grants (reclaim candidates)" },
  { method: "GET", path: "/v1/usage/overview", procedure: "usage.overview", tag: "usage", summary: "各单位月度费用 / Every department's monthly cost" },
  { method: "GET", path: "/v1/prices", procedure: "usage.priceList", tag: "usage", summary: "价格表及历史版本 / The price list and its versions" },
  {
    method: "POST",
    path: "/v1/prices",
    procedure: "usage.updatePrices",
    tag: "usage",
    summary: "发布新版价格表 / Publish a new price list version",
    status: 201,
  },

  { method: "GET", path: "/v1/auto-approval-rules", procedure: "autoRules.list", tag: "approvals", summary: "自动审批规则 / Auto-approval rules" },
  {
    method: "POST",
    path: "/v1/auto-approval-rules",
    procedure: "autoRules.save",
    tag: "approvals",
    summary: "创建或修改自动审批规则 / Create or replace an auto-approval rule",
    status: 201,
  },
  {
    method: "DELETE",
    path: "/v1/auto-approval-rules/{id}",
    procedure: "autoRules.remove",
    tag: "approvals",
    summary: "删除自动审批规则 / Delete an auto-approval rule",
  },

  { method: "GET", path: "/v1/tokens", procedure: "tokens.list", tag: "tokens", summary: "API 令牌列表 / API tokens you manage" },
  {
    method: "POST",
    path: "/v1/tokens",
    procedure: "tokens.create",
    tag: "tokens",
    summary: "创建 API 令牌（密钥仅显示一次） / Create a token (the secret is shown once)",
    status: 201,
  },
  { method: "DELETE", path: "/v1/tokens/{id}", procedure: "tokens.revoke", tag: "tokens", summary: "吊销 API 令牌 / Revoke a token" },
];

/** "/v1/requests/{id}" → "/v1/requests/:id" for the HTTP router. */
export const routerPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");
export const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
