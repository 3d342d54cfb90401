import { RESOURCES } from "@zhengyun/db/schema/enums";
import { z } from "zod";
import { resource } from "../../../shared/schemas.js";

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month is YYYY-MM");

const price = z.number().min(0, "must not be negative").max(100_000, "must be at most 100000");
/** CNY per unit-hour of every resource. */
export const prices = z.object(Object.fromEntries(RESOURCES.map((r) => [r, price])) as Record<(typeof RESOURCES)[number], typeof price>).strict();

export const reportRow = z.object({
  systemId: z.string(),
  systemName: z.string(),
  resource,
  grantedUnitHours: z.number(),
  usedUnitHours: z.number(),
  unitPrice: z.number(),
  costFen: z.number(),
});

export const monthlyReport = z.object({
  department: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string() }),
  month,
  priceVersion: z.number(),
  currency: z.string(),
  prices,
  rows: z.array(reportRow),
  byResource: z.array(z.object({ resource, grantedUnitHours: z.number(), usedUnitHours: z.number(), costFen: z.number() })),
  totalFen: z.number(),
});
