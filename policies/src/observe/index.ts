// The observed-state engine: read a namespace once (`observe`), compare (`diff`), and what healing
// writes back (`enforce`). Drift, healing and evidence all use it.

export { evidenceSpec, observeEvidence } from "../evidence/read-live.js";
export { compareAll, describeFindings, enforce, type Finding } from "./diff.js";
export { foreignFindings } from "./foreign.js";
export { type Observation, observe, SharedObjects } from "./observe.js";
