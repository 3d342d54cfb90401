// What the audit trail may say: every action, every kind of target and every non-human actor. The
// append function accepts only these, and the auditor's filters and labels are derived from them, so
// an entry can always be found and read.

import { REQUEST_STATES } from "../vocabulary.js";

type RequestState = (typeof REQUEST_STATES)[number];

/** Kinds of object an entry is about. */
export const AUDIT_TARGET_TYPES = [
  "request",
  "system",
  "department",
  "user",
  "exemption",
  "platform",
  "audit",
  "api_token",
  "egress_log",
  "webhook",
  "auto_approval_rule",
  "price_list",
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/**
 * Target types written by earlier versions, kept readable: the chain is append-only, so old entries
 * keep their words and a filter by the current word also finds them.
 */
export const LEGACY_TARGET_TYPES: Readonly<Record<string, AuditTargetType>> = { information_system: "system" };

/** Every action the platform records, except the workflow steps (see REQUEST_STEP_ACTIONS). */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.logout",
  "auth.login_failed",
  "auth.login_refused_locked",
  "auth.second_factor",
  "auth.second_factor_failed",
  "auth.totp_enrolled",
  "auth.password_changed",
  "auth.sessions_ended",
  "auth.sso_linked",
  "auth.sso_refused",
  "api_token.created",
  "api_token.revoked",
  "api_token.used",
  "audit.anchor_taken",
  "audit.break_acknowledged",
  "department.set_ceiling",
  "platform.set_capacity",
  "system.register",
  "system.update",
  "system.grade",
  "system.regrade",
  "system.drift_mode",
  "system.drift_detected",
  "system.drift_healed",
  "evidence.refresh_requested",
  "exemption.grant",
  "exemption.revoke",
  "request.create",
  "request.rate",
  "user.bootstrap_admin",
  "user.create",
  "user.set_roles",
  "user.set_status",
  "user.password_reset",
  "user.mfa_reset",
  "user.set_sso",
  "egress.partition_dropped",
  "egress.daily_digest",
  "notification.read",
  "notification.read_all",
  "notification.preferences",
  "webhook.create",
  "webhook.update",
  "webhook.delete",
  "price_list.set",
  "auto_rule.created",
  "auto_rule.updated",
  "auto_rule.deleted",
  "request.auto_approval_declined",
] as const;

/** Each workflow step is recorded as `request.<the state it reached>`. */
export type RequestStepAction = `request.${RequestState}`;
export const REQUEST_STEP_ACTIONS = REQUEST_STATES.map((s) => `request.${s}` as RequestStepAction);

export type AuditAction = (typeof AUDIT_ACTIONS)[number] | RequestStepAction;

/** Names under which the platform itself acts (no person). */
export const SYSTEM_ACTORS = ["platform", "zhengyun-controller", "sso"] as const;
export type SystemActor = (typeof SYSTEM_ACTORS)[number];

/** The target types a filter by `type` must match, old words included. */
export function targetTypesMatching(type: AuditTargetType): string[] {
  return [
    type,
    ...Object.entries(LEGACY_TARGET_TYPES)
      .filter(([, now]) => now === type)
      .map(([old]) => old),
  ];
}
