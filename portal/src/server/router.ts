import { allocationsRouter } from "./routers/allocations/index.js";
import { auditRouter } from "./routers/audit/index.js";
import { authRouter } from "./routers/auth/index.js";
import { autoRulesRouter } from "./routers/autoRules/index.js";
import { departmentsRouter } from "./routers/departments/index.js";
import { egressRouter } from "./routers/egress/index.js";
import { evidenceRouter } from "./routers/evidence/index.js";
import { exemptionsRouter } from "./routers/exemptions/index.js";
import { notificationsRouter } from "./routers/notifications/index.js";
import { platformRouter } from "./routers/platform/index.js";
import { policiesRouter } from "./routers/policies/index.js";
import { ratingsRouter } from "./routers/ratings/index.js";
import { requestsRouter } from "./routers/requests/index.js";
import { systemsRouter } from "./routers/systems/index.js";
import { tokensRouter } from "./routers/tokens/index.js";
import { usageRouter } from "./routers/usage/index.js";
import { usersRouter } from "./routers/users/index.js";
import { router } from "./trpc.js";

export const appRouter = router({
  auth: authRouter,
  systems: systemsRouter,
  requests: requestsRouter,
  departments: departmentsRouter,
  platform: platformRouter,
  ratings: ratingsRouter,
  users: usersRouter,
  exemptions: exemptionsRouter,
  policies: policiesRouter,
  audit: auditRouter,
  evidence: evidenceRouter,
  tokens: tokensRouter,
  allocations: allocationsRouter,
  egress: egressRouter,
  notifications: notificationsRouter,
  usage: usageRouter,
  autoRules: autoRulesRouter,
});

export type AppRouter = typeof appRouter;
