/** Where a request stands in the approval path, for the progress steps on its page. */
import { needsSecurityApproval } from "@zhengyun/db/workflow";
import type { RequestState } from "../../components/tags.js";

export type StepKey = "submit" | "dept" | "ops" | "grading" | "security" | "provision" | "active";

/** The stage each state waits at (open states) or reached (the rest). */
const AT: Record<RequestState, StepKey> = {
  draft: "submit",
  submitted: "dept",
  dept_approved: "ops",
  ops_approved: "security",
  security_approved: "provision",
  provisioning: "provision",
  active: "active",
  failed: "provision",
  expired: "active",
  rejected: "submit",
  withdrawn: "submit",
};

const STEP_LABEL = {
  submit: "requests.stepsSubmit",
  dept: "requests.stepsDept",
  ops: "requests.stepsOps",
  grading: "requests.stepsGrading",
  security: "requests.stepsSecurity",
  provision: "requests.stepsProvision",
  active: "requests.stepsActive",
} as const satisfies Record<StepKey, string>;

/** The message key of a step's title: a release is carried out and completed, not deployed. */
export function stepLabel(step: StepKey, kind: "new" | "change" | "release") {
  if (kind === "release" && (step === "provision" || step === "active")) return `releaseWords.step.${step}` as const;
  return STEP_LABEL[step];
}

export interface Progress {
  steps: StepKey[];
  current: number;
  status: "wait" | "process" | "finish" | "error";
}

/**
 * The steps a request goes through (security for level 3+, as the server routes it; the grading
 * while its system is not graded) and where it is. A rejected or withdrawn request stops, in
 * error, at the stage it was waiting at then.
 */
export function progressOf(
  state: RequestState,
  level: number,
  kind: "new" | "change" | "release",
  lastOpenState: RequestState | null,
  graded = true,
): Progress {
  const steps: StepKey[] = [
    "submit",
    "dept",
    "ops",
    ...(graded ? [] : (["grading"] as const)),
    ...(needsSecurityApproval(level, kind) ? (["security"] as const) : []),
    "provision",
    "active",
  ];
  const index = (key: StepKey) => Math.max(0, steps.indexOf(key));
  if (state === "rejected" || state === "withdrawn") return { steps, current: index(AT[lastOpenState ?? "draft"]), status: "error" };
  if (state === "failed") return { steps, current: index("provision"), status: "error" };
  if (state === "active" || state === "expired") return { steps, current: index("active"), status: "finish" };
  if (state === "draft") return { steps, current: 0, status: "process" };
  return { steps, current: index(state === "ops_approved" && !graded ? "grading" : AT[state]), status: "process" };
}
