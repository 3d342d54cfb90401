import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import { appendAudit } from "@zhengyun/db/audit/append";
import { type Db, ping } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { accountForIdentity, type OidcLogin, type PendingLogin } from "../auth/oidc.js";
import { type AuthPolicy, DEFAULT_AUTH_POLICY, SESSION_COOKIE, SIGN_IN_COOKIE } from "../auth/policy.js";
import { beginSignIn, providerDidMfa } from "../auth/sign-in.js";
import { resolveCaller } from "./caller.js";
import { registerEvidenceRoutes } from "./evidence-routes.js";
import {
  BODY_LIMIT,
  DEFAULT_RATE_LIMITS,
  MAX_BATCH_SIZE,
  type RateLimits,
  registerBatchGuard,
  registerBodyGuard,
  registerErrorHandler,
  registerRateLimits,
  registerSecurityHeaders,
  registerTextGuard,
} from "./hardening.js";
import { createMetrics, type Metrics, routeLabel } from "./metrics.js";
import { restApi } from "./rest/plugin.js";
import { type AppRouter, appRouter } from "./router.js";
import type { CookieJar, RequestContext } from "./trpc.js";

export interface AppOptions {
  db: Db;
  logger: Logger | boolean;
  policy?: AuthPolicy;
  /** Secret for signing the short-lived SSO cookie. */
  cookieSecret: string;
  /** Send cookies with Secure (behind TLS). */
  secureCookies?: boolean;
  oidc?: OidcLogin | undefined;
  /** Folder of the built UI to serve, when present. */
  uiDir?: string | undefined;
  /** Fastify's trustProxy: only behind a proxy that sets X-Forwarded-For (TRUST_PROXY). Default: off. */
  trustProxy?: boolean | string | number | undefined;
  /** Rate limits on sign-in and mutations. */
  rateLimits?: RateLimits | undefined;
  /** The metrics this app records into; served elsewhere (see buildMetricsApp). */
  metrics?: Metrics | undefined;
}

const OIDC_COOKIE = "zy_oidc";

/** Cookies are Secure when configured, or when the request itself came over TLS. */
const secureFor = (req: FastifyRequest, configured: boolean) => configured || req.protocol === "https";

function cookieJar(req: FastifyRequest, reply: FastifyReply, configured: boolean): CookieJar {
  const base = { path: "/", httpOnly: true, sameSite: "strict" as const, secure: secureFor(req, configured) };
  return {
    get: (name) => req.cookies[name],
    set: (name, value, maxAge) => void reply.setCookie(name, value, { ...base, maxAge }),
    clear: (name) => void reply.clearCookie(name, base),
  };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const policy = opts.policy ?? DEFAULT_AUTH_POLICY;
  const secure = opts.secureCookies ?? false;
  const app = Fastify({
    loggerInstance: typeof opts.logger === "object" ? opts.logger : undefined,
    logger: typeof opts.logger === "boolean" ? opts.logger : undefined,
    genReqId: (req: { headers: Record<string, unknown> }) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && given.length <= 64 ? given : randomUUID();
    },
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: BODY_LIMIT,
    // tRPC batches name every procedure in the path.
    routerOptions: { maxParamLength: 5000 },
  } as never) as unknown as FastifyInstance;
  const metrics = opts.metrics ?? createMetrics();
  const procedures = new Set(Object.keys(appRouter._def.procedures));

  registerErrorHandler(app);
  await registerSecurityHeaders(app, { hsts: secure });
  await app.register(fastifyCookie, { secret: opts.cookieSecret });
  registerBodyGuard(app);
  registerBatchGuard(app);
  registerTextGuard(app);
  await registerRateLimits(app, opts.rateLimits ?? DEFAULT_RATE_LIMITS);

  app.addHook("onResponse", async (req, reply) => {
    metrics.httpDuration.observe({ method: req.method, route: routeLabel(req, procedures), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (req, reply) => {
    try {
      await ping(opts.db);
      return { status: "ready" };
    } catch (err) {
      // The reason goes to the log; the probe needs only the verdict.
      req.log.warn({ err }, "database not reachable");
      return reply.code(503).send({ status: "not ready" });
    }
  });

  /** The caller as every procedure sees them: the session cookie resolved to a person. */
  const contextFor = async (req: FastifyRequest, reply: FastifyReply): Promise<RequestContext> => ({
    db: opts.db,
    actor: await resolveCaller(opts.db, req.headers.authorization, req.cookies[SESSION_COOKIE], policy),
    correlationId: String(req.id),
    policy,
    cookies: cookieJar(req, reply, secure),
    ip: req.ip,
    ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
    now: () => new Date(),
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: ({ req, res }) => contextFor(req, res),
      maxBatchSize: MAX_BATCH_SIZE,
      onError({ error, path, req }) {
        if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error, path, reqId: req.id }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  registerEvidenceRoutes(app, contextFor);
  await app.register(restApi, { contextFor });
  if (opts.oidc) registerOidcRoutes(app, opts.oidc, opts.db, policy, secure);

  if (opts.uiDir && existsSync(opts.uiDir)) {
    await app.register(fastifyStatic, { root: opts.uiDir, wildcard: false });
    // Client-side routes fall back to the app shell; the server's own paths never do (a scraper
    // asking the app port for /metrics gets 404, not the sign-in page).
    const serverPaths = ["/trpc", "/api/", "/metrics"];
    app.setNotFoundHandler((req, reply) =>
      req.method === "GET" && !serverPaths.some((p) => req.url.startsWith(p)) ? reply.sendFile("index.html") : reply.code(404).send({ error: "not found" }),
    );
  }
  return app;
}

function registerOidcRoutes(app: FastifyInstance, oidc: OidcLogin, db: Db, policy: AuthPolicy, configuredSecure: boolean) {
  const cookie = (req: FastifyRequest) => ({ path: "/", httpOnly: true, sameSite: "lax" as const, secure: secureFor(req, configuredSecure), signed: true });
  app.get("/auth/oidc/login", async (req, reply) => {
    const base = cookie(req);
    const { url, pending } = await oidc.start();
    // SameSite=lax: the provider redirects back with a top-level GET, which strict would strip.
    reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { ...base, maxAge: 600 });
    return reply.redirect(url.href);
  });
  app.get("/auth/oidc/callback", async (req, reply) => {
    const base = cookie(req);
    const secure = base.secure;
    const raw = req.cookies[OIDC_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : null;
    reply.clearCookie(OIDC_COOKIE, base);
    if (!unsigned?.valid || !unsigned.value) return reply.redirect("/login?error=sso_state");
    try {
      const pending = JSON.parse(unsigned.value) as PendingLogin;
      const url = new URL(req.url, `${req.protocol}://${req.host}`);
      const claims = await oidc.finish(url, pending);
      const userId = await accountForIdentity(db, oidc.issuer, claims, String(req.id));
      // The provider's own second factor counts only when its amr/acr is one configured (OIDC_MFA_AMR).
      const signIn = await beginSignIn(db, policy, userId, "oidc", {
        ip: req.ip,
        userAgent: req.headers["user-agent"],
        now: new Date(),
        secondFactorDone: providerDidMfa(claims, policy),
      });
      const strict = { path: "/", httpOnly: true, sameSite: "strict" as const, secure };
      if (signIn.next === "done") {
        reply.setCookie(SESSION_COOKIE, signIn.sessionToken, { ...strict, maxAge: Math.floor(policy.absoluteTimeoutMs / 1000) });
        return reply.redirect("/");
      }
      reply.setCookie(SIGN_IN_COOKIE, signIn.challengeToken, { ...strict, maxAge: Math.floor(policy.challengeTtlMs / 1000) });
      return reply.redirect(`/login?step=${signIn.next}`);
    } catch (err) {
      req.log.warn({ err }, "SSO login failed");
      // Refused sign-ins are part of the trail, as refused passwords are.
      await db
        .transaction((tx) =>
          appendAudit(tx, {
            actorId: null,
            actorName: "sso",
            actorRole: null,
            action: "auth.sso_refused",
            targetType: "user",
            targetId: "unknown",
            after: { reason: (err as Error).message },
            correlationId: String(req.id),
            at: new Date(),
          }),
        )
        .catch((auditErr: unknown) => req.log.error({ err: auditErr }, "could not audit a refused SSO login"));
      const code = err instanceof AppError && err.code === "FORBIDDEN" ? "sso_no_account" : "sso_failed";
      return reply.redirect(`/login?error=${code}`);
    }
  });
}
