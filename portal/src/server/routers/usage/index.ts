import { z } from "zod";
import { departmentMonthly, exportMonthly, idleList, monthlyOverview, priceHistory, setPrices, usageSeries } from "../../../services/usage-report-service.js";
import { id, resource } from "../../../shared/schemas.js";
import { rolesProcedure, router } from "../../trpc.js";
import { month, monthlyReport, prices } from "./schemas.js";

/** Department staff read their own department; ops read every department. */
const READERS = ["applicant", "dept_admin", "ops"] as const;

const series = rolesProcedure(...READERS)
  .input(
    z.object({ departmentId: id.optional(), systemId: id.optional(), resource: resource.default("vcpu"), days: z.number().int().min(1).max(730).default(30) }),
  )
  .output(
    z.object({
      resource,
      resolution: z.enum(["5m", "1h", "1d"]),
      points: z.array(z.object({ at: z.date(), used: z.number(), granted: z.number(), usedPeak: z.number() })),
    }),
  )
  .query(({ ctx, input }) => usageSeries(ctx.service, input));

const idle = rolesProcedure(...READERS)
  .input(z.object({ departmentId: id.optional() }).default({}))
  .output(
    z.array(
      z.object({
        systemId: z.string(),
        systemName: z.string(),
        departmentId: z.string(),
        departmentName: z.string(),
        departmentNameEn: z.string(),
        resource,
        usedShare: z.number(),
        peakShare: z.number(),
        granted: z.number(),
      }),
    ),
  )
  .query(({ ctx, input }) => idleList(ctx.service, input));

const monthly = rolesProcedure(...READERS)
  .input(z.object({ departmentId: id, month, priceVersion: z.number().int().min(0).optional() }))
  .output(monthlyReport)
  .query(({ ctx, input }) => departmentMonthly(ctx.service, input));

const exportReport = rolesProcedure(...READERS)
  .input(z.object({ departmentId: id, month, format: z.enum(["csv", "xlsx"]).default("xlsx") }))
  .output(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
  .query(({ ctx, input }) => exportMonthly(ctx.service, input));

const overview = rolesProcedure("ops")
  .input(z.object({ month }))
  .output(
    z.object({
      month,
      priceVersion: z.number(),
      departments: z.array(
        z.object({ departmentId: z.string(), name: z.string(), nameEn: z.string(), totalFen: z.number(), vcpuHours: z.number(), vcpuUsedHours: z.number() }),
      ),
    }),
  )
  .query(({ ctx, input }) => monthlyOverview(ctx.service, input));

const priceVersion = z.object({ version: z.number(), prices, note: z.string().nullable(), createdAt: z.date().nullable() });

const priceList = rolesProcedure(...READERS)
  .input(z.void())
  .output(z.object({ current: priceVersion.extend({ currency: z.string() }), versions: z.array(priceVersion) }))
  .query(({ ctx }) => priceHistory(ctx.service));

const updatePrices = rolesProcedure("ops")
  .input(z.object({ prices, note: z.string().trim().max(500).nullable().default(null) }))
  .output(z.object({ version: z.number() }))
  .mutation(({ ctx, input }) => setPrices(ctx.service, input));

export const usageRouter = router({ series, idle, monthly, exportReport, overview, priceList, updatePrices });
