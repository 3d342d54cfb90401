import { CONTROL_IDS, MECHANISMS } from "@zhengyun/policies/definitions";
import { z } from "zod";
import { id, level, zone } from "../../../shared/schemas.js";

const bilingual = z.object({ zh: z.string(), en: z.string() });

const evidenceObject = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  aspect: z.string(),
  expectedHash: z.string(),
  liveHash: z.string().nullable(),
  status: z.enum(["present", "missing", "modified"]),
});

const controlEvidence = z.object({
  id: z.enum(CONTROL_IDS),
  title: bilingual,
  family: bilingual,
  requirement: bilingual,
  parameters: z.record(z.string(), z.unknown()),
  summary: bilingual,
  mechanisms: z.array(bilingual.extend({ id: z.enum(Object.keys(MECHANISMS) as [keyof typeof MECHANISMS]) })),
  exemption: z.object({ expiresAt: z.string(), grantedBy: z.string(), reason: z.string() }).nullable(),
  objects: z.array(evidenceObject),
  /** Objects the platform did not create that weaken the control (reports stored before they were read have none). */
  foreign: z.array(z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional(), why: bilingual })).default([]),
  status: z.enum(["enforced", "exempted", "drifted"]),
});

const counts = { total: z.number().int(), enforced: z.number().int(), exempted: z.number().int(), drifted: z.number().int() };

/** The report as `@zhengyun/policies` builds it and the controller stores it. */
export const evidenceReport = z.object({
  generatedAt: z.string(),
  system: z.object({ system: z.string(), department: z.string(), namespace: z.string(), level: z.literal([1, 2, 3, 4]), zone }),
  namespace: evidenceObject,
  controls: z.array(controlEvidence),
  summary: z.object(counts),
});

export const evidenceSummary = z.object({ reportId: z.number().int(), generatedAt: z.date(), confirmedAt: z.date(), ...counts });

export const evidenceListRow = z.object({
  systemId: id,
  systemName: z.string(),
  departmentName: z.string(),
  level,
  zone,
  graded: z.boolean(),
  namespace: z.string(),
  phase: z.string(),
  latest: evidenceSummary.nullable(),
});

export const evidenceDetail = z.object({
  system: z.object({ id, name: z.string(), departmentName: z.string(), level, zone, filingNumber: z.string().nullable() }),
  reportId: z.number().int().nullable(),
  report: evidenceReport.nullable(),
  history: z.array(evidenceSummary),
});
