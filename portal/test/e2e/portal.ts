/** The portal as users get it: the built UI served by the real server over a real database. */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Database } from "../../src/db/client.js";
import { buildApp } from "../../src/server/app.js";

const PORTAL_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const UI_DIR = fileURLToPath(new URL("../../dist/ui/", import.meta.url));

/** Uses portal/dist/ui as it is when present; otherwise builds it once with Vite. */
export function ensureUiBuilt(): void {
  if (existsSync(`${UI_DIR}index.html`)) return;
  // vitest runs with NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync("npx", ["vite", "build"], { cwd: PORTAL_DIR, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
}

export interface RunningPortal {
  url: string;
  app: FastifyInstance;
}

export async function startPortal(database: Database): Promise<RunningPortal> {
  const app = await buildApp({ db: database.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), uiDir: UI_DIR });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("portal did not bind a TCP port");
  return { url: `http://127.0.0.1:${address.port}`, app };
}
