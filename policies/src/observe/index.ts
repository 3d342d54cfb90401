// The observed-state engine: read a namespace once (`observe`), compare (`diff`), and what healing
// writes back (`enforce`). Drift, healing and evidence all use it.

export { evidenceSpec, observeEvidence } from "../evidence/read-live.js";
export { canonicalJson, hashOf, sha256 } from "./canonical.js";
export { withServerDefaults } from "./defaults.js";
export { compareAll, compareObject, describeFindings, diff, enforce, type Finding } from "./diff.js";
export { type ForeignObject, foreignFindings, foreignObjectsFor, isPlatformObject, PLATFORM_MANAGERS, WIDENING_KINDS, weakens } from "./foreign.js";
export { type Observation, type ObserveSpec, observe, ownObject, SharedObjects } from "./observe.js";
