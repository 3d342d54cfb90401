// /healthz and /metrics over plain HTTP.

import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface HealthSource {
  /** Null when healthy, else what is wrong. */
  problem(): Promise<string | null>;
}

export function startHttp(port: number, registry: Registry, health: HealthSource): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    if (path === "/healthz") {
      void health.problem().then(
        (problem) => {
          res.writeHead(problem ? 503 : 200, { "content-type": "application/json" });
          res.end(JSON.stringify(problem ? { status: "unavailable", problem } : { status: "ok" }));
        },
        (err) => res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "unavailable", problem: String(err) })),
      );
      return;
    }
    if (path === "/metrics") {
      void registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (err) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}
