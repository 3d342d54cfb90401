import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { appendAudit } from "../audit/append.js";
import { accountForIdentity, type OidcLogin, type PendingLogin } from "../auth/oidc.js";
import { type AuthPolicy, DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../auth/policy.js";
import { createSession } from "../auth/sessions.js";
import { type Db, ping } from "../db/client.js";
import { AppError } from "../errors/app-error.js";
import { resolveCaller } from "./caller.js";
import { registerEvidenceRoutes } from "./evidence-routes.js";
import { createMetrics } from "./metrics.js";
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
}

const OIDC_COOKIE = "zy_oidc";

function cookieJar(req: FastifyRequest, reply: FastifyReply, secure: boolean): CookieJar {
  const base = { path: "/", httpOnly: true, sameSite: "strict" as const, secure };
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
    trustProxy: true,
    // tRPC batches name every procedure in the path.
    routerOptions: { maxParamLength: 5000 },
  } as never) as unknown as FastifyInstance;
  const metrics = createMetrics();

  await app.register(fastifyCookie, { secret: opts.cookieSecret });

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url?.startsWith("/trpc") ? `/trpc/${(req.params as { path?: string }).path ?? ""}` : (req.routeOptions.url ?? "unmatched");
    metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await ping(opts.db);
      return { status: "ready" };
    } catch (err) {
      return reply.code(503).send({ status: "not ready", error: (err as Error).message });
    }
  });
  app.get("/metrics", async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

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
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error, path }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  registerEvidenceRoutes(app, contextFor);
  await app.register(restApi, { contextFor });
  if (opts.oidc) registerOidcRoutes(app, opts.oidc, opts.db, policy, secure);

  if (opts.uiDir && existsSync(opts.uiDir)) {
    await app.register(fastifyStatic, { root: opts.uiDir, wildcard: false });
    // Client-side routes fall back to the app shell.
    app.setNotFoundHandler((req, reply) =>
      req.method === "GET" && !req.url.startsWith("/trpc") && !req.url.startsWith("/api/")
        ? reply.sendFile("index.html")
        : reply.code(404).send({ error: "not found" }),
    );
  }
  return app;
}

function registerOidcRoutes(app: FastifyInstance, oidc: OidcLogin, db: Db, policy: AuthPolicy, secure: boolean) {
  const base = { path: "/", httpOnly: true, sameSite: "lax" as const, secure, signed: true };
  app.get("/auth/oidc/login", async (_req, reply) => {
    const { url, pending } = await oidc.start();
    // SameSite=lax: the provider redirects back with a top-level GET, which strict would strip.
    reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { ...base, maxAge: 600 });
    return reply.redirect(url.href);
  });
  app.get("/auth/oidc/callback", async (req, reply) => {
    const raw = req.cookies[OIDC_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : null;
    reply.clearCookie(OIDC_COOKIE, base);
    if (!unsigned?.valid || !unsigned.value) return reply.redirect("/login?error=sso_state");
    try {
      const pending = JSON.parse(unsigned.value) as PendingLogin;
      const url = new URL(req.url, `${req.protocol}://${req.host}`);
      const claims = await oidc.finish(url, pending);
      const userId = await accountForIdentity(db, oidc.issuer, claims, String(req.id));
      const token = await createSession(db, userId, policy, { ip: req.ip, ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}) });
      reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "strict", secure, maxAge: Math.floor(policy.absoluteTimeoutMs / 1000) });
      return reply.redirect("/");
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
