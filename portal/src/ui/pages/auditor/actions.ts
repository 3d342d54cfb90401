/** Audit action and target codes in words; unknown codes (none are written today) are shown as they are. */
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditTargetType, LEGACY_TARGET_TYPES } from "@zhengyun/db/audit/vocabulary";
import type { TFunction } from "i18next";
import { zh } from "../../i18n/zh.js";

type KnownAction = keyof typeof zh.auditAction;
type State = keyof typeof zh.state;

/** The actions an auditor can pick in the filter: every action the platform records. */
export const KNOWN_ACTIONS = AUDIT_ACTIONS;
export const TARGET_TYPES = AUDIT_TARGET_TYPES;

const isKnown = (a: string): a is KnownAction => a in zh.auditAction;
const isState = (s: string): s is State => s in zh.state;
const isTarget = (s: string): s is AuditTargetType => (AUDIT_TARGET_TYPES as readonly string[]).includes(s);

export function actionLabel(action: string, t: TFunction): string | null {
  if (isKnown(action)) return t(`auditAction.${action}`);
  // Each workflow step is audited as request.<new state>.
  const [head, tail] = action.split(".");
  if (head === "request" && tail && isState(tail)) return t("audit.stateChange", { state: t(`state.${tail}`) });
  return null;
}

/** A target type in words; entries written under an older word read as the current one. */
export function targetLabel(type: string, t: TFunction): string {
  const now = LEGACY_TARGET_TYPES[type] ?? type;
  return isTarget(now) ? t(`auditTarget.${now}`) : type;
}
