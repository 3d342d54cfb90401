import { createHash } from "node:crypto";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import { unstorablePath } from "@zhengyun/db/audit/chain";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SESSION_COOKIE } from "../auth/policy.js";
import { PROBLEM_TYPE, type Problem, problem } from "./rest/problem.js";
import { internalErrorMessage } from "./trpc.js";

const isRest = (req: FastifyRequest) => req.url.startsWith("/api/");

/** Requests allowed per window; each limit counts separately. */
export interface RateLimits {
  /** Sign-in attempts per client address. */
  loginPerIp: number;
  /** Sign-in attempts per login name, from all addresses together. */
  loginPerAccount: number;
  /** Mutations (tRPC POSTs) per client address. */
  mutationPerIp: number;
  /** Mutations per signed-in session. */
  mutationPerAccount: number;
  /** The window, in milliseconds. */
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { loginPerIp: 20, loginPerAccount: 30, mutationPerIp: 300, mutationPerAccount: 120, windowMs: 60_000 };

/** Request bodies above this are refused (413), whatever their type. */
export const BODY_LIMIT = 1024 * 1024;
/** tRPC calls one HTTP request may carry; the UI's batch link sends at most 4. */
export const MAX_BATCH_SIZE = 10;

/** A tRPC-shaped error body, so the UI's client reads refusals made before tRPC as its own. */
export function trpcErrorBody(httpStatus: number, code: string, message: string, appCode?: string) {
  return { error: { message, code: -32000, data: { code, httpStatus, ...(appCode ? { appCode } : {}) } } };
}

/**
 * Sends a refusal made outside tRPC in the shape the UI's tRPC client reads: for a batch, one
 * error per call, so each call's caller sees the reason (e.g. RATE_LIMITED) rather than a bad
 * response.
 */
export function refuse(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, appCode?: string) {
  // The REST surface answers in its own error format.
  if (isRest(req)) {
    const problemCode = (appCode ?? (status === 429 ? "RATE_LIMITED" : "INVALID_INPUT")) as Problem["code"];
    return reply
      .code(status)
      .type(PROBLEM_TYPE)
      .send(problem(status, problemCode, message));
  }
  const body = trpcErrorBody(status, code, message, appCode);
  const calls = proceduresOf(req).length;
  const batch = (req.query as { batch?: string } | undefined)?.batch === "1" && calls > 0 && calls <= MAX_BATCH_SIZE;
  return reply.code(status).send(batch ? Array.from({ length: calls }, () => body) : body);
}

/**
 * Security headers on every response: a CSP with scripts from the origin only (antd writes its
 * styles at run time, so inline styles are allowed), no framing, no MIME sniffing, no referrer,
 * and HSTS when the portal is served over TLS.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }) {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(opts.hsts ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    hsts: opts.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The SSO provider's pages open in the same window, not as popups that need an opener.
    crossOriginOpenerPolicy: { policy: "same-origin" },
  });
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses, before anything is read, a body that is not JSON (415; multipart/form-data would be
 * streamed whole into tRPC past every limit) or announces more than the body limit (413).
 * Fastify's own bodyLimit then holds while a JSON body is read.
 */
export function registerBodyGuard(app: FastifyInstance) {
  app.addHook("onRequest", async (req, reply) => {
    if (!BODY_METHODS.has(req.method)) return;
    const length = Number(req.headers["content-length"] ?? 0);
    const type = (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
    const hasBody = length > 0 || req.headers["transfer-encoding"] !== undefined;
    if (hasBody && type !== "application/json")
      return refuse(
        req,
        reply,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `只接受 application/json 请求体 / only application/json bodies are accepted, not ${type || "none"}`,
      );
    if (length > BODY_LIMIT) return refuse(req, reply, 413, "PAYLOAD_TOO_LARGE", `请求体过大 / request body over ${BODY_LIMIT} bytes`);
  });
}

/**
 * Outside tRPC (which checks its own input), query strings and path parameters holding a lone
 * surrogate or NUL are refused with 400 before any handler sees them.
 */
export function registerTextGuard(app: FastifyInstance) {
  app.addHook("preValidation", async (req, reply) => {
    if (req.url.startsWith("/trpc/")) return;
    const where = unstorablePath(req.query) ?? unstorablePath(req.params);
    if (where !== null)
      return reply
        .code(400)
        .send(
          trpcErrorBody(400, "BAD_REQUEST", `${where || "input"}: 含有无法存储的字符 / contains characters that cannot be stored (a lone surrogate or NUL)`),
        );
  });
}

/**
 * tRPC batches carry at most MAX_BATCH_SIZE calls, and at most one sign-in: each sign-in attempt
 * must count against the limits on its own. Checked on arrival, before the body is read.
 */
export function registerBatchGuard(app: FastifyInstance) {
  app.addHook("onRequest", async (req, reply) => {
    const procedures = proceduresOf(req);
    if (procedures.length > MAX_BATCH_SIZE)
      return reply.code(400).send(trpcErrorBody(400, "BAD_REQUEST", `一次最多 ${MAX_BATCH_SIZE} 个调用 / at most ${MAX_BATCH_SIZE} calls per batch`));
    if (procedures.filter((p) => SIGN_IN_STEPS.has(p)).length > 1)
      return refuse(req, reply, 400, "BAD_REQUEST", "登录不可批量提交 / sign-ins cannot be batched");
  });
}

/**
 * The public steps of signing in (password, second factor, forced password change, enrolment):
 * each guesses a secret or acts on a half-signed-in challenge, so each counts like a sign-in.
 */
const SIGN_IN_STEPS = new Set(["auth.login", "auth.secondFactor", "auth.setPassword", "auth.totpSetup", "auth.totpConfirm"]);

/** The tRPC procedures one request names, from its path ("a.b,c.d" for a batch). */
export function proceduresOf(req: FastifyRequest): string[] {
  // A REST route names the procedure it calls.
  if (isRest(req)) {
    const procedure = (req.routeOptions.config as { procedure?: string } | undefined)?.procedure;
    return procedure ? [procedure] : [];
  }
  if (!req.url.startsWith("/trpc/")) return [];
  const path = (req.params as { path?: string }).path ?? "";
  return path.split(",").filter(Boolean);
}

/** The login names a sign-in body names, single or batched. */
function loginNames(body: unknown): string[] {
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
  }
  if (!parsed || typeof parsed !== "object") return [];
  const candidates = "username" in parsed ? [parsed] : Object.values(parsed);
  return candidates
    .map((c) => (c && typeof c === "object" && "username" in c && typeof c.username === "string" ? c.username.trim().toLowerCase() : null))
    .filter((n): n is string => n !== null);
}

const digest = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 22);

/**
 * Rate limits with @fastify/rate-limit, counted in this process's memory: sign-in per client
 * address and per login name, mutations per client address and per session. Each replica counts
 * on its own, so behind N replicas the effective limits are up to N times these (see README).
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits) {
  await app.register(fastifyRateLimit, { global: false });
  const limiter = (max: number, prefix: string, key: (req: FastifyRequest) => string) =>
    app.createRateLimit({ max, timeWindow: limits.windowMs, keyGenerator: (req) => `${prefix}:${key(req)}` });
  const loginIp = limiter(limits.loginPerIp, "login-ip", (req) => req.ip);
  const mutationIp = limiter(limits.mutationPerIp, "mutation-ip", (req) => req.ip);
  // Per signed-in caller: the session cookie, or the API token in the Authorization header.
  const credential = (req: FastifyRequest) => req.cookies[SESSION_COOKIE] ?? req.headers.authorization;
  const mutationAccount = limiter(limits.mutationPerAccount, "mutation-session", (req) => digest(credential(req) ?? ""));
  // One limiter for every login name: the name being checked is handed to its key generator.
  const checking = new WeakMap<FastifyRequest, string>();
  const loginAccount = limiter(limits.loginPerAccount, "login-name", (req) => checking.get(req) ?? "");

  const throttled = (req: FastifyRequest, reply: FastifyReply, ttlSeconds: number, what: string) =>
    refuse(
      req,
      reply.header("retry-after", String(ttlSeconds)),
      429,
      "TOO_MANY_REQUESTS",
      `请求过于频繁，请 ${ttlSeconds} 秒后再试 / too many ${what}, try again in ${ttlSeconds} s`,
      "RATE_LIMITED",
    );

  app.addHook("preHandler", async (req, reply) => {
    // tRPC mutations are POSTs; REST ones also PATCH, PUT and DELETE.
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
    const procedures = proceduresOf(req);
    if (procedures.length === 0) return;
    if (procedures.some((p) => SIGN_IN_STEPS.has(p))) {
      const byIp = await loginIp(req);
      if (!byIp.isAllowed && byIp.isExceeded) return throttled(req, reply, byIp.ttlInSeconds, "sign-in attempts from this address");
      for (const name of loginNames(req.body)) {
        checking.set(req, name);
        const byName = await loginAccount(req);
        if (!byName.isAllowed && byName.isExceeded) return throttled(req, reply, byName.ttlInSeconds, "sign-in attempts for this account");
      }
      return;
    }
    const byIp = await mutationIp(req);
    if (!byIp.isAllowed && byIp.isExceeded) return throttled(req, reply, byIp.ttlInSeconds, "requests from this address");
    if (credential(req)) {
      const bySession = await mutationAccount(req);
      if (!bySession.isAllowed && bySession.isExceeded) return throttled(req, reply, bySession.ttlInSeconds, "requests for this account");
    }
  });
}

/**
 * Errors outside tRPC: the client gets a code and a safe message (no SQL, no stack), the log gets
 * the details with the request id.
 */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err, reqId: req.id }, "request failed");
      return refuse(req, reply, status, "INTERNAL_SERVER_ERROR", internalErrorMessage(String(req.id)));
    }
    req.log.info({ err: { message: err.message, code: err.code }, reqId: req.id }, "request refused");
    // Fastify's own 4xx errors (body too large, bad JSON, unsupported type) say nothing internal.
    return refuse(req, reply, status, err.code ?? "BAD_REQUEST", err.message);
  });
}
