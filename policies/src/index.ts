/**
 * @zhengyun/policies — the MLPS 2.0 (等级保护) control catalog and its
 * compilation to Kubernetes admission objects.
 *
 * The controller calls:
 *   compileBaseline()            cluster-wide policies, bindings, parameters (apply once per catalog version)
 *   compileTenant(input)         one system's namespace and namespaced objects (apply per reconcile;
 *                                reconcile again at `requeueAt`, when an exemption lapses)
 *   evidenceReport(input, live)  compliance evidence over the observed objects (`evidence/read-live`)
 *
 * and reads and compares the cluster through `@zhengyun/policies/observe`. Everything else is
 * imported from its own module (`@zhengyun/policies/<path>`).
 */

export { compileBaseline } from "./compile/baseline.js";
export { type CompiledTenant, compileTenant } from "./compile/tenant.js";
export { refusalTag } from "./compile/vap.js";
export * from "./definitions.js";
export { evidenceReport } from "./evidence/report.js";
export { PolicyInputError } from "./model/errors.js";
export * from "./model/labels.js";
export { canonicalQuantity, parseQuantity, quantityValue } from "./model/quantity.js";
export type { TenantInput } from "./model/tenant.js";
export { hashOf } from "./observe/canonical.js";
