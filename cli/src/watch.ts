import type { Api } from "./client.js";
import { EXIT } from "./exit-codes.js";
import { t, w } from "./i18n.js";

type Json = Record<string, unknown>;
interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

const ENDED = new Set(["failed", "rejected", "withdrawn", "expired"]);

/** One line per step so far: the workflow's transitions, then the controller's conditions. */
export function steps(r: Json): string[] {
  const transitions = (r.transitions as { to: string; actorName: string | null; at: string }[]).map(
    (x) => `✔ ${w(x.to)}${x.actorName ? ` · ${x.actorName}` : ""} · ${x.at.replace("T", " ").slice(0, 19)}`,
  );
  const allocation = r.allocation as { phase: string; conditions: Condition[]; generation: number; observedGeneration: number } | null;
  const conditions = (allocation?.conditions ?? []).map(
    (c) => `${c.status === "True" ? "✔" : c.status === "False" ? "…" : "?"} ${c.type}: ${c.reason}${c.message ? ` — ${c.message}` : ""}`,
  );
  const phase = allocation ? [`→ ${allocation.phase} (generation ${allocation.observedGeneration}/${allocation.generation})`] : [];
  return [...transitions, ...conditions, ...phase];
}

/**
 * Follows a request until it is active (exit 0) or ends otherwise (exit 6). On a terminal the step
 * list is redrawn in place; otherwise (or with --json) each new step is printed once, as it comes.
 */
export async function watchRequest(api: Api, id: string, opts: { intervalMs: number; timeoutMs: number; json: boolean }): Promise<number> {
  const deadline = Date.now() + opts.timeoutMs;
  const live = process.stdout.isTTY && !opts.json;
  let shown: string[] = [];
  for (;;) {
    const r = await api.get<Json>(`/requests/${encodeURIComponent(id)}`);
    const now = steps(r);
    if (live) {
      if (shown.length) process.stdout.write(`\x1b[${shown.length + 1}A\x1b[J`);
      process.stdout.write(`#${r.number} ${r.systemName}: ${w(String(r.state))}\n${now.join("\n")}\n`);
      shown = now;
    } else {
      for (const line of now.filter((l) => !shown.includes(l))) {
        process.stdout.write(opts.json ? `${JSON.stringify({ request: id, state: r.state, step: line })}\n` : `${line}\n`);
      }
      shown = now;
    }
    const allocation = r.allocation as { phase: string } | null;
    if (r.state === "active") {
      const done = t("watchDone", { number: String(r.number), phase: allocation?.phase ?? "ready" });
      process.stdout.write(opts.json ? `${JSON.stringify({ request: id, state: r.state, done: true })}\n` : `${done}\n`);
      return EXIT.OK;
    }
    if (ENDED.has(String(r.state))) {
      const reason = (r.failureReason ?? r.rejectionReason) as string | null;
      const ended = t("watchEnded", { number: String(r.number), state: w(String(r.state)), reason: reason ? `（${reason}）` : "" });
      process.stdout.write(opts.json ? `${JSON.stringify({ request: id, state: r.state, done: true, reason })}\n` : `${ended}\n`);
      return EXIT.FAILED;
    }
    if (Date.now() > deadline) {
      process.stderr.write(`${t("watchTimeout", { state: w(String(r.state)) })}\n`);
      return EXIT.ERROR;
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
}
