// Rules that take the ops approval stage for a department's requests. Pure: the caller gathers the
// request, the system, the department's headroom and the measured usage.

import { amount, type Quantities, shortfalls } from "@zhengyun/db/quantities";
import { type REQUEST_KINDS, RESOURCES } from "@zhengyun/db/vocabulary";

type Resource = (typeof RESOURCES)[number];
type RequestKind = (typeof REQUEST_KINDS)[number];

export interface AutoRule {
  id: string;
  name: string;
  enabled: boolean;
  /** The highest protection level the rule approves (1 or 2; never 3+). */
  maxLevel: number;
  /** The growth must fit the department's ceiling minus what it holds. */
  requireHeadroom: boolean;
  /** Each growing resource may grow by at most this share of its current grant (percent). */
  maxGrowthPct: number | null;
  /** Each growing resource must have been used above this share of its grant ... */
  minUsagePct: number | null;
  /** ... every day of this many days. */
  minUsageDays: number | null;
}

export interface AutoCandidate {
  kind: RequestKind;
  level: number;
  graded: boolean;
  /** The system's grant today and the request's change to it. */
  current: Quantities;
  growth: Quantities;
  ceiling: Quantities;
  held: Quantities;
  /** Per resource: days with measurements in the rule's window, and the lowest daily share used. */
  usage: (days: number) => Partial<Record<Resource, { days: number; minShare: number }>>;
}

/** Auto-approval never reaches above this level: level 3+ requests go to people, and on to the security officer. */
export const AUTO_MAX_LEVEL = 2;

export type RuleVerdict = { ruleId: string; approve: true } | { ruleId: string; approve: false; reasons: string[] };

export function evaluateRule(rule: AutoRule, c: AutoCandidate): RuleVerdict {
  const reasons: string[] = [];
  if (!rule.enabled) reasons.push("rule disabled");
  if (!c.graded) reasons.push("system not graded");
  if (c.level > Math.min(rule.maxLevel, AUTO_MAX_LEVEL)) reasons.push(`level ${c.level} above ${Math.min(rule.maxLevel, AUTO_MAX_LEVEL)}`);
  if (c.kind === "release") reasons.push("releases are decided by people");
  const growing = RESOURCES.filter((r) => amount(c.growth, r) > 0);
  if (rule.requireHeadroom) {
    for (const s of shortfalls(c.ceiling, c.held, c.growth)) reasons.push(`${s.resource} would hold ${s.wouldHold} > ceiling ${s.limit}`);
  }
  if (rule.maxGrowthPct !== null) {
    for (const r of growing) {
      const cur = amount(c.current, r);
      if (cur <= 0) reasons.push(`${r} is new, growth unbounded`);
      else if ((amount(c.growth, r) / cur) * 100 > rule.maxGrowthPct)
        reasons.push(`${r} grows ${Math.round((amount(c.growth, r) / cur) * 100)}% > ${rule.maxGrowthPct}%`);
    }
  }
  if (rule.minUsagePct !== null && rule.minUsageDays !== null) {
    const usage = c.usage(rule.minUsageDays);
    for (const r of growing) {
      if (amount(c.current, r) <= 0) continue;
      const u = usage[r];
      if (!u || u.days < rule.minUsageDays) reasons.push(`${r} measured on ${u?.days ?? 0} of ${rule.minUsageDays} days`);
      else if (u.minShare * 100 < rule.minUsagePct) reasons.push(`${r} used ${Math.round(u.minShare * 100)}% < ${rule.minUsagePct}%`);
    }
  }
  return reasons.length === 0 ? { ruleId: rule.id, approve: true } : { ruleId: rule.id, approve: false, reasons };
}

/** The first rule (by the given order) that approves, and every rule's verdict. */
export function decide(rules: readonly AutoRule[], c: AutoCandidate): { approvedBy: AutoRule | null; verdicts: RuleVerdict[] } {
  const verdicts = rules.map((r) => evaluateRule(r, c));
  const i = verdicts.findIndex((v) => v.approve);
  return { approvedBy: i >= 0 ? rules[i]! : null, verdicts };
}
