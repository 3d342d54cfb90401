// REST under /api/v1, its OpenAPI document at /api/openapi.json and a reference page at /api/docs.
// Each route calls its tRPC procedure through a server-side caller built from the same request
// context as /trpc, so authentication (session cookie or API token), roles, scoping and audit
// are the procedure's own.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { appRouter } from "../router.js";
import { createCallerFactory, type RequestContext } from "../trpc.js";
import { inputSchema, openApiDocument } from "./openapi.js";
import { PROBLEM_TYPE, type Problem, problem, problemFromError } from "./problem.js";
import { pathParams, REST_ROUTES, type RestRoute, routerPath } from "./routes.js";

export interface RestOptions {
  contextFor: (req: FastifyRequest, reply: FastifyReply) => Promise<RequestContext>;
}

const createCaller = createCallerFactory(appRouter);
const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const docsDir = new URL("./docs/", import.meta.url);

/** The reference page loads only same-origin files: it works under `script-src 'self'`. */
const DOCS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

function sendProblem(reply: FastifyReply, req: FastifyRequest, p: Problem) {
  return reply
    .code(p.status)
    .type(PROBLEM_TYPE)
    .send({ ...p, instance: req.url, correlationId: String(req.id) });
}

/** Query strings are text: numbers, booleans and lists are read as the input schema declares them. */
export function coerceQuery(query: Record<string, unknown>, schema: ReturnType<typeof inputSchema>): Record<string, unknown> {
  const props = schema?.properties ?? {};
  const one = (value: unknown, type: unknown): unknown => {
    if (typeof value !== "string") return value;
    if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const prop = props[key] as { type?: unknown; items?: { type?: unknown } } | undefined;
    if (prop?.type === "array") out[key] = (Array.isArray(value) ? value : [value]).map((v) => one(v, prop.items?.type));
    else out[key] = Array.isArray(value) ? value : one(value, prop?.type);
  }
  return out;
}

function inputFor(route: RestRoute, req: FastifyRequest): unknown {
  const schema = inputSchema(route);
  const params = req.params as Record<string, string>;
  if (!schema) return req.body ?? undefined;
  const fromPath = Object.fromEntries(pathParams(route.path).map((p) => [p, params[p]]));
  if (route.method === "GET") return { ...coerceQuery(req.query as Record<string, unknown>, schema), ...fromPath };
  const body = req.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) return body;
  return { ...body, ...fromPath };
}

export async function restApi(app: FastifyInstance, opts: RestOptions) {
  app.register(
    async (api) => {
      api.setErrorHandler((err: FastifyError, req, reply) => {
        const status = err.statusCode ?? 500;
        if (status >= 400 && status < 500) return sendProblem(reply, req, problem(status, status === 429 ? "RATE_LIMITED" : "INVALID_INPUT", err.message));
        req.log.error({ err }, "REST request failed");
        return sendProblem(reply, req, problem(500, "INTERNAL", "内部错误 / internal error"));
      });
      api.setNotFoundHandler((req, reply) => sendProblem(reply, req, problem(404, "NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`)));

      api.get("/openapi.json", async (_req, reply) => reply.header("cache-control", "no-cache").send(openApiDocument()));

      await api.register(fastifyStatic, { root: swaggerDir, prefix: "/docs/assets/", decorateReply: false, index: false });
      const page = readFileSync(new URL("index.html", docsDir), "utf8");
      const init = readFileSync(new URL("init.js", docsDir), "utf8");
      api.get("/docs", async (_req, reply) => reply.header("content-security-policy", DOCS_POLICY).type("text/html; charset=utf-8").send(page));
      api.get("/docs/init.js", async (_req, reply) => reply.type("text/javascript; charset=utf-8").send(init));

      for (const route of REST_ROUTES) {
        api.route({
          method: route.method,
          url: routerPath(route.path),
          // The abuse limits count REST calls by the procedure they reach, like tRPC calls.
          config: { procedure: route.procedure },
          handler: async (req, reply) => {
            const caller = createCaller(await opts.contextFor(req, reply)) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
            const [group, name] = route.procedure.split(".") as [string, string];
            try {
              const result = await caller[group]![name]!(inputFor(route, req));
              return reply.code(route.status ?? 200).send(result);
            } catch (err) {
              const p = problemFromError(err);
              if (p.status >= 500) req.log.error({ err, procedure: route.procedure }, "REST procedure failed");
              return sendProblem(reply, req, p);
            }
          },
        });
      }
    },
    { prefix: "/api" },
  );
}
