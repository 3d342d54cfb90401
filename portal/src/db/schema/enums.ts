import { pgEnum } from "drizzle-orm/pg-core";

/** The roles of DESIGN.md §1. sysadmin, security and auditor are mutually exclusive (三员分立). */
export const ROLES = ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] as const;
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

export const ZONES = ["internal", "external"] as const;
export type Zone = (typeof ZONES)[number];
export const zoneEnum = pgEnum("zone", ZONES);

/** Quantities a department ceiling, a request and an allocation are measured in. */
export const RESOURCES = ["vcpu", "memory_gib", "storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib", "segments", "egress_mbps"] as const;
export type Resource = (typeof RESOURCES)[number];
export const resourceEnum = pgEnum("resource", RESOURCES);

export const REQUEST_KINDS = ["new", "change", "release"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const requestKindEnum = pgEnum("request_kind", REQUEST_KINDS);

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
export type RequestState = (typeof REQUEST_STATES)[number];
export const requestStateEnum = pgEnum("request_state", REQUEST_STATES);

export const ALLOCATION_PHASES = ["pending", "reconciling", "ready", "stalled", "releasing", "released"] as const;
export type AllocationPhase = (typeof ALLOCATION_PHASES)[number];
export const allocationPhaseEnum = pgEnum("allocation_phase", ALLOCATION_PHASES);
