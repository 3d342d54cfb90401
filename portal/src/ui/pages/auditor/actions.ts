/** Audit action codes in words; unknown codes are shown as they are. */
import type { TFunction } from "i18next";
import { zh } from "../../i18n/zh.js";

type KnownAction = keyof typeof zh.auditAction;
type State = keyof typeof zh.state;

export const KNOWN_ACTIONS = Object.keys(zh.auditAction) as KnownAction[];
const isKnown = (a: string): a is KnownAction => a in zh.auditAction;
const isState = (s: string): s is State => s in zh.state;

export function actionLabel(action: string, t: TFunction): string | null {
  if (isKnown(action)) return t(`auditAction.${action}`);
  // Each workflow step is audited as request.<new state>.
  const [head, tail] = action.split(".");
  if (head === "request" && tail && isState(tail)) return t("audit.stateChange", { state: t(`state.${tail}`) });
  return null;
}
