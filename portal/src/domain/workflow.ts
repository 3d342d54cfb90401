import type { RequestKind, RequestState, Role } from "../db/schema/enums.js";

/** States from which a request can still be withdrawn by its department or rejected by an approver. */
export const OPEN_STATES: readonly RequestState[] = ["draft", "submitted", "dept_approved", "ops_approved"];
/** States in which a request counts toward its department's pending work. */
export const TERMINAL_STATES: readonly RequestState[] = ["active", "failed", "rejected", "withdrawn", "expired"];

export type ApprovalStage = "dept" | "ops" | "security";

/** The state a request must be in for each approval stage, and the role that acts there. */
export const STAGE: Record<ApprovalStage, { from: RequestState; role: Role }> = {
  dept: { from: "submitted", role: "dept_admin" },
  ops: { from: "dept_approved", role: "ops" },
  security: { from: "ops_approved", role: "security" },
};

/**
 * Level 3 and 4 systems need a security officer's approval, a different person from the ops
 * approver, for every request: growth widens what must be protected, and a release destroys the
 * system's data and ends the filing (备案) the security officer keeps, which MLPS 2.0 level 3
 * asks to be cleared under control (剩余信息保护). Releases the platform files itself for expired
 * grants are approved by the expiry rule and never wait here.
 */
export function needsSecurityApproval(level: number, _kind: RequestKind): boolean {
  return level >= 3;
}

/** Where an approval at `stage` moves the request. */
export function stateAfterApproval(stage: ApprovalStage, level: number, kind: RequestKind): RequestState {
  switch (stage) {
    case "dept":
      return "dept_approved";
    case "ops":
      return needsSecurityApproval(level, kind) ? "ops_approved" : "provisioning";
    case "security":
      return "provisioning";
  }
}

/** The approval stage a request in `state` is waiting for, if any. */
export function pendingStage(state: RequestState): ApprovalStage | null {
  for (const [stage, s] of Object.entries(STAGE) as [ApprovalStage, (typeof STAGE)[ApprovalStage]][]) {
    if (s.from === state) return stage;
  }
  return null;
}

export function isOpen(state: RequestState): boolean {
  return OPEN_STATES.includes(state);
}
