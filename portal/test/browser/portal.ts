/** The portal as users get it: the built UI served by the real server over a real database. */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Database } from "@zhengyun/db/client";
import { buildApp } from "@zhengyun/portal/server/app";
import { ensureUiBundle } from "@zhengyun/portal/server/ui-bundle";
import { TEST_RATE_LIMITS } from "@zhengyun/portal/test/harness";
import type { FastifyInstance } from "fastify";

export const UI_DIR = fileURLToPath(new URL("../../dist/ui/", import.meta.url));

/** Builds portal/dist/ui as `npm start` does: when it is missing or older than its sources. */
export function ensureUiBuilt(): void {
  ensureUiBundle({ uiDir: UI_DIR });
}

export interface RunningPortal {
  url: string;
  app: FastifyInstance;
}

export async function startPortal(database: Database): Promise<RunningPortal> {
  const app = await buildApp({ db: database.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), uiDir: UI_DIR, rateLimits: TEST_RATE_LIMITS });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("portal did not bind a TCP port");
  return { url: `http://127.0.0.1:${address.port}`, app };
}
