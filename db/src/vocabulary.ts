/** The domain's closed vocabularies, free of any database import so the browser bundle can use them. */

export const ROLES = ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] as const;

export const ZONES = ["internal", "external"] as const;

export const RESOURCES = ["vcpu", "memory_gib", "storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib", "segments", "egress_mbps"] as const;

export const REQUEST_KINDS = ["new", "change", "release"] as const;

export const REQUEST_STATES = [
  "draft",
  "submitted",
  "dept_approved",
  "ops_approved",
  "security_approved",
  "provisioning",
  "active",
  "failed",
  "rejected",
  "withdrawn",
  "expired",
] as const;

/** States in which a request occupies its system: one such request per system at a time (a unique index holds it). */
export const IN_FLIGHT_STATES = [
  "draft",
  "submitted",
  "dept_approved",
  "ops_approved",
  "security_approved",
  "provisioning",
] as const satisfies readonly (typeof REQUEST_STATES)[number][];

export const ALLOCATION_PHASES = ["pending", "reconciling", "ready", "stalled", "releasing", "released"] as const;
