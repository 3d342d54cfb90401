// The OpenAPI 3.1 document, generated from the procedures' own zod schemas with zod's JSON Schema
// conversion; JSON Schema 2020-12 is OpenAPI 3.1's schema dialect.

import type { AnyProcedure } from "@trpc/server";
import { APP_ERROR_CODES } from "@zhengyun/db/errors";
import { z } from "zod";
import { appRouter } from "../router.js";
import { outputSchema } from "../routers/outputs.js";
import { pathParams, REST_ROUTES, type RestRoute } from "./routes.js";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; type?: unknown };

export function procedureOf(route: RestRoute): AnyProcedure {
  const procedure = (appRouter._def.procedures as unknown as Record<string, AnyProcedure | undefined>)[route.procedure];
  if (!procedure) throw new Error(`no procedure ${route.procedure}`);
  return procedure;
}

/** zod → JSON Schema for one direction; dates travel as RFC 3339 strings. */
export function jsonSchema(schema: unknown, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema as z.ZodType, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const inputSchemas = new Map<RestRoute, JsonSchema | null>();

/**
 * The input schema of a route's procedure, or null when it takes none. Converted once per route:
 * REST reads it on every call to coerce the query string.
 */
export function inputSchema(route: RestRoute): JsonSchema | null {
  if (inputSchemas.has(route)) return inputSchemas.get(route)!;
  const [input] = procedureOf(route)._def.inputs as unknown[];
  const schema = input ? jsonSchema(input, "input") : null;
  const found = schema && (schema.type === "object" || schema.properties) ? schema : null;
  inputSchemas.set(route, found);
  return found;
}

const problem: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details; `code` is the portal's error code.",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string", format: "uri-reference" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", enum: [...APP_ERROR_CODES, "INTERNAL"] },
    instance: { type: "string" },
    correlationId: { type: "string" },
    fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } },
  },
};

const ERROR_STATUSES: Record<string, string> = {
  "400": "输入无效 / invalid input",
  "401": "未登录或令牌无效 / not signed in, or the token is not valid",
  "403": "无权限 / not permitted for this role or department",
  "404": "不存在 / not found",
  "409": "状态冲突 / conflicts with the current state",
  "422": "超出额度或容量 / over a ceiling, capacity or pool",
  "429": "请求过多 / too many requests",
};

function operation(route: RestRoute) {
  const procedure = procedureOf(route);
  const input = inputSchema(route);
  const params = pathParams(route.path);
  const properties = input?.properties ?? {};
  const required = new Set(input?.required ?? []);
  const parameters: unknown[] = params.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } }));
  let requestBody: unknown;
  if (input) {
    const rest = Object.fromEntries(Object.entries(properties).filter(([k]) => !params.includes(k)));
    if (route.method === "GET") {
      for (const [name, schema] of Object.entries(rest)) {
        const isArray = schema.type === "array";
        parameters.push({ name, in: "query", required: required.has(name), schema, ...(isArray ? { style: "form", explode: true } : {}) });
      }
    } else if (Object.keys(rest).length) {
      const bodyRequired = [...required].filter((k) => !params.includes(k));
      requestBody = {
        required: bodyRequired.length > 0,
        content: { "application/json": { schema: { ...input, properties: rest, required: bodyRequired.length ? bodyRequired : undefined } } },
      };
    }
  }
  const declared = (procedure._def as { output?: unknown }).output;
  const output = declared ? jsonSchema(outputSchema(declared), "output") : {};
  const responses: Record<string, unknown> = {
    [String(route.status ?? 200)]: { description: "成功 / OK", content: { "application/json": { schema: output } } },
  };
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    responses[status] = { description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
  }
  return {
    operationId: route.procedure.replace(".", "_"),
    tags: [route.tag],
    summary: route.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) {
    const entry = paths[`/api${route.path}`] ?? {};
    entry[route.method.toLowerCase()] = operation(route);
    paths[`/api${route.path}`] = entry;
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "政云 Zhengyun API",
      version: "1.0.0",
      description:
        "政务云资源管理平台 REST 接口。使用 `Authorization: Bearer zy_…` API 令牌或会话 Cookie 认证；错误以 application/problem+json 返回。\n\nREST API of the Zhengyun government cloud portal. Authenticate with an API token (`Authorization: Bearer zy_…`) or the session cookie; errors are application/problem+json. Lists are paged by keyset: those answering `{items, nextCursor}` take the `nextCursor` of one page as `cursor` for the next; requests and the approval queue take `beforeNumber` (the last number seen), the audit log `beforeSeq`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    tags: [...new Set(REST_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: problem },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "API 令牌 / API token (zy_…)" },
        session: { type: "apiKey", in: "cookie", name: "zy_session" },
      },
    },
  };
  return cached;
}
