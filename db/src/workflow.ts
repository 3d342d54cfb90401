import type { RequestKind, RequestState, Role } from "@zhengyun/db/schema/enums";

/** States from which a request can still be withdrawn by its department or rejected by an approver. */
export const OPEN_STATES: readonly RequestState[] = ["draft", "submitted", "dept_approved", "ops_approved"];

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

/** The system a request is for, as far as the workflow cares: its level and whether it is graded. */
export interface Grading {
  level: number;
  graded: boolean;
}

/** Why a request of this system cannot reach provisioning yet, or null when nothing holds it. */
export function gradingHold(system: Grading): string | null {
  return system.graded
    ? null
    : "系统尚未定级，须经安全管理员定级后方可开通 / the system awaits grading (定级) by a security officer before anything is provisioned";
}

/**
 * Where an approval at `stage` moves the request. No request of an ungraded system reaches
 * provisioning: ops approval reserves its growth and leaves it ops_approved, waiting for the
 * security officer to grade the system (see `stateAfterGrading`).
 */
export function stateAfterApproval(stage: ApprovalStage, system: Grading, kind: RequestKind): RequestState {
  switch (stage) {
    case "dept":
      return "dept_approved";
    case "ops":
      return system.graded && !needsSecurityApproval(system.level, kind) ? "provisioning" : "ops_approved";
    case "security":
      return "provisioning";
  }
}

/**
 * Where grading moves a request that ops approved while the system waited to be graded: on to
 * provisioning when the confirmed level needs no security approval, otherwise it stays for the
 * security officer's approval (by someone other than its ops approver).
 */
export function stateAfterGrading(level: number, kind: RequestKind): "provisioning" | "ops_approved" {
  return needsSecurityApproval(level, kind) ? "ops_approved" : "provisioning";
}

/** Why a level is refused on a platform that hosts systems up to `maxLevel`, or null. */
export function levelRefusal(level: number, maxLevel: number): string | null {
  return level > maxLevel
    ? `本平台最高承载等保${maxLevel}级系统，不能承载${level}级系统 / this platform hosts systems up to level ${maxLevel}; a level ${level} system cannot be hosted here`
    : null;
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
