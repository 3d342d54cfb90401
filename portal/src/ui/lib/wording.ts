/**
 * Message keys that read differently for a release, where resources go back instead of coming:
 * "provisioning" is releasing and "active" is released.
 */
import type { REQUEST_KINDS, REQUEST_STATES } from "@zhengyun/db/vocabulary";

type RequestState = (typeof REQUEST_STATES)[number];
type RequestKind = (typeof REQUEST_KINDS)[number];
type Reworded = "provisioning" | "active";

const isReworded = (state: RequestState): state is Reworded => state === "provisioning" || state === "active";

/** The label of a request's state (tags, filters). */
export function stateKey(state: RequestState, kind: RequestKind) {
  return kind === "release" && isReworded(state) ? (`releaseWords.state.${state}` as const) : (`state.${state}` as const);
}

/** What a move into `state` means, for the request's history. */
export function eventKey(state: RequestState, kind: RequestKind) {
  return kind === "release" && isReworded(state) ? (`releaseWords.event.${state}` as const) : (`event.${state}` as const);
}
