// The compliance evidence report as a document: a printable page and a JSON download, outside tRPC
// so a browser can open, print or save it. Access is decided by the same procedure the UI calls.

import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { escapeHtml, renderEvidenceHtml } from "@zhengyun/policies/definitions";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { id } from "../shared/schemas.js";
import { appRouter } from "./router.js";
import { createCallerFactory, type RequestContext } from "./trpc.js";

const params = z.object({ systemId: id });
const query = z.object({
  report: z.coerce.number().int().positive().optional(),
  format: z.enum(["html", "json"]).default("html"),
});

const createCaller = createCallerFactory(appRouter);

/** The page's own inline style only: no scripts, no external resources. */
const DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

function errorPage(reply: FastifyReply, status: number, zh: string, en: string) {
  return reply
    .code(status)
    .header("content-security-policy", DOCUMENT_POLICY)
    .type("text/html; charset=utf-8")
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(zh)}</title></head><body><h1>${escapeHtml(zh)}</h1><p>${escapeHtml(en)}</p></body></html>`,
    );
}

function fileName(systemName: string, reportId: number, ext: string): string {
  // RFC 5987 for the Chinese name; an ASCII fallback for old clients.
  const name = `evidence-${systemName}-${reportId}.${ext}`;
  return `attachment; filename="evidence-${reportId}.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerEvidenceRoutes(app: FastifyInstance, contextFor: (req: FastifyRequest, reply: FastifyReply) => Promise<RequestContext>) {
  app.get("/evidence/:systemId", async (req, reply) => {
    const p = params.safeParse(req.params);
    const q = query.safeParse(req.query);
    if (!p.success || !q.success) return errorPage(reply, 400, "报告地址有误", "The report address is not valid.");
    let detail: Awaited<ReturnType<ReturnType<typeof createCaller>["evidence"]["get"]>>;
    try {
      const caller = createCaller(await contextFor(req, reply));
      detail = await caller.evidence.get({ systemId: p.data.systemId, reportId: q.data.report });
    } catch (err) {
      if (!(err instanceof TRPCError)) throw err;
      const status = getHTTPStatusCodeFromError(err);
      if (status === 401) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
      if (status === 403) return errorPage(reply, 403, "无权查看该系统的合规证据", "You may not see this system's compliance evidence.");
      if (status === 404) return errorPage(reply, 404, "未找到该系统或报告", "No such system or report.");
      throw err;
    }
    if (!detail.report || detail.reportId === null) {
      return errorPage(reply, 404, "该系统尚无合规证据报告", "The controller has not produced a report for this system yet.");
    }
    const shown = detail.history.find((h) => h.reportId === detail.reportId);
    reply.header("cache-control", "private, no-store");
    if (q.data.format === "json") {
      const body = { system: detail.system, reportId: detail.reportId, confirmedAt: shown?.confirmedAt ?? null, report: detail.report };
      return reply
        .type("application/json; charset=utf-8")
        .header("content-disposition", fileName(detail.system.name, detail.reportId, "json"))
        .send(`${JSON.stringify(body, null, 2)}\n`);
    }
    const html = renderEvidenceHtml(detail.report, {
      systemName: detail.system.name,
      departmentName: detail.system.departmentName,
      filingNumber: detail.system.filingNumber,
      ...(shown ? { confirmedAt: shown.confirmedAt.toISOString() } : {}),
    });
    return reply.header("content-security-policy", DOCUMENT_POLICY).type("text/html; charset=utf-8").send(html);
  });
}
