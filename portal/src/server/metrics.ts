import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "zhengyun_portal_" });
  const httpDuration = new Histogram({
    name: "zhengyun_portal_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const notificationDeliveries = new Counter({
    name: "zhengyun_portal_notification_deliveries_total",
    help: "Mail and webhook delivery attempts by channel and outcome (sent, retrying, failed, skipped)",
    labelNames: ["channel", "outcome"],
    registers: [registry],
  });
  return { registry, httpDuration, notificationDeliveries };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The `route` label of a request, from a closed set: a known procedure ("/trpc/auth.login"), a
 * batch of known procedures ("/trpc/batch"), "/trpc/unknown" for anything else under /trpc, the
 * route's pattern for other routes, "unmatched" for none. Invented paths add no series.
 */
export function routeLabel(req: FastifyRequest, known: ReadonlySet<string>): string {
  const url = req.routeOptions.url;
  if (!url) return "unmatched";
  if (!url.startsWith("/trpc")) return url;
  const procedures = ((req.params as { path?: string }).path ?? "").split(",");
  if (!procedures.every((p) => known.has(p))) return "/trpc/unknown";
  return procedures.length === 1 ? `/trpc/${procedures[0]}` : "/trpc/batch";
}

/**
 * /metrics on a listener of its own (METRICS_PORT, loopback by default), so the public port never
 * serves it; with a token, the scrape must send `Authorization: Bearer <token>`.
 */
export function buildMetricsApp(metrics: Metrics, opts: { token?: string | undefined } = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get("/metrics", async (req, reply) => {
    if (opts.token && !sameSecret(req.headers.authorization ?? "", `Bearer ${opts.token}`)) return reply.code(401).send({ error: "unauthorized" });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}

/** Compares secrets in constant time (over their digests, so lengths may differ). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
