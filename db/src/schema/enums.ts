import { pgEnum } from "drizzle-orm/pg-core";
import { ALLOCATION_PHASES, REQUEST_KINDS, REQUEST_STATES, RESOURCES, ROLES, ZONES } from "../vocabulary.js";

export { ALLOCATION_PHASES, REQUEST_KINDS, REQUEST_STATES, RESOURCES, ROLES, ZONES };

/** The roles of DESIGN.md §1. sysadmin, security and auditor are mutually exclusive (三员分立). */
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

export type Zone = (typeof ZONES)[number];
export const zoneEnum = pgEnum("zone", ZONES);

/** Quantities a department ceiling, a request and an allocation are measured in. */
export type Resource = (typeof RESOURCES)[number];
export const resourceEnum = pgEnum("resource", RESOURCES);

export type RequestKind = (typeof REQUEST_KINDS)[number];
export const requestKindEnum = pgEnum("request_kind", REQUEST_KINDS);

export type RequestState = (typeof REQUEST_STATES)[number];
export const requestStateEnum = pgEnum("request_state", REQUEST_STATES);

export type AllocationPhase = (typeof ALLOCATION_PHASES)[number];
export const allocationPhaseEnum = pgEnum("allocation_phase", ALLOCATION_PHASES);
