import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { NavKey } from "./lib/nav.js";

type Page = LazyExoticComponent<ComponentType>;

/** One lazily loaded module per page: a visit downloads only the pages it opens. */
export const PAGES: Record<NavKey, Page> = {
  systems: lazy(() => import("./pages/applicant/SystemsPage.js")),
  newRequest: lazy(() => import("./pages/applicant/NewRequestPage.js")),
  myRequests: lazy(() => import("./pages/applicant/MyRequestsPage.js")),
  deptOverview: lazy(() => import("./pages/dept/DeptOverviewPage.js")),
  deptApprovals: lazy(() => import("./pages/dept/DeptApprovalsPage.js")),
  deptRequests: lazy(() => import("./pages/dept/DeptRequestsPage.js")),
  opsApprovals: lazy(() => import("./pages/ops/OpsApprovalsPage.js")),
  ceilings: lazy(() => import("./pages/ops/CeilingsPage.js")),
  capacity: lazy(() => import("./pages/ops/CapacityPage.js")),
  ratings: lazy(() => import("./pages/ops/RatingsPage.js")),
  securityApprovals: lazy(() => import("./pages/security/SecurityApprovalsPage.js")),
  grading: lazy(() => import("./pages/security/GradingPage.js")),
  exemptions: lazy(() => import("./pages/security/ExemptionsPage.js")),
  mfaReset: lazy(() => import("./pages/security/MfaResetPage.js")),
  evidence: lazy(() => import("./pages/security/EvidencePage.js")),
  catalog: lazy(() => import("./pages/security/CatalogPage.js")),
  audit: lazy(() => import("./pages/auditor/AuditPage.js")),
  egressLog: lazy(() => import("./pages/egress/EgressLogPage.js")),
  users: lazy(() => import("./pages/admin/UsersPage.js")),
  tokens: lazy(() => import("./pages/tokens/TokensPage.js")),
  notifications: lazy(() => import("./pages/notifications/NotificationsPage.js")),
  webhooks: lazy(() => import("./pages/notifications/WebhooksPage.js")),
  usageReport: lazy(() => import("./pages/usage/UsageReportPage.js")),
  opsUsage: lazy(() => import("./pages/usage/OpsUsagePage.js")),
  autoRules: lazy(() => import("./pages/usage/AutoRulesPage.js")),
};

export const LoginPage = lazy(() => import("./pages/LoginPage.js"));
export const RequestDetailPage = lazy(() => import("./pages/RequestDetailPage.js"));
export const ReleasePage = lazy(() => import("./pages/applicant/ReleasePage.js"));
