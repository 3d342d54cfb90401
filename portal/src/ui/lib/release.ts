/** Whether an applicant may ask for a system's resources to be released now, and if not, why. */
import { IN_FLIGHT_STATES, type REQUEST_KINDS, type REQUEST_STATES } from "@zhengyun/db/vocabulary";

type RequestState = (typeof REQUEST_STATES)[number];
type RequestKind = (typeof REQUEST_KINDS)[number];

export interface ReleasableSystem {
  id: string;
  retired: boolean;
  holdsResources: boolean;
  phase: string | null;
}

export interface OpenRequest {
  id: string;
  number: number;
  state: RequestState;
  kind: RequestKind;
  systemId: string;
}

export type ReleaseBlock = { reason: "retired" } | { reason: "inFlight"; request: OpenRequest } | { reason: "released" } | { reason: "nothingHeld" };

/** The request that occupies the system, if any, among the department's requests. */
export function openRequestOf(systemId: string, requests: readonly OpenRequest[]): OpenRequest | undefined {
  return requests.find((r) => r.systemId === systemId && (IN_FLIGHT_STATES as readonly RequestState[]).includes(r.state));
}

/**
 * Null when a release may be filed; otherwise the first reason it may not. A request in flight is
 * named before an empty grant, because it says what to wait for (a release being carried out
 * already holds nothing).
 */
export function releaseBlock(system: ReleasableSystem, requests: readonly OpenRequest[]): ReleaseBlock | null {
  if (system.retired) return { reason: "retired" };
  const open = openRequestOf(system.id, requests);
  if (open) return { reason: "inFlight", request: open };
  if (!system.holdsResources) return system.phase === "released" ? { reason: "released" } : { reason: "nothingHeld" };
  return null;
}

/** The typed confirmation matches the system's name (surrounding spaces aside, exact otherwise). */
export function confirmsName(typed: string | undefined, name: string): boolean {
  return (typed ?? "").trim() === name.trim() && name.trim() !== "";
}
