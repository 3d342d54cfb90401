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
 * and reads and compares the cluster through `@zhengyun/policies/observe`.
 */

export { CATALOG, type CatalogEntry, controlById } from "./catalog.js";
export { compileBaseline } from "./compile/baseline.js";
export { contentHash, enforcingContent } from "./compile/hash.js";
export { quotaName } from "./compile/quota.js";
export { type CompiledTenant, compileTenant, EXEMPTIONS_ANNOTATION } from "./compile/tenant.js";
export { bindingName, paramsName, policyName, refusalTag } from "./compile/vap.js";
export { crossesBoundary } from "./controls/zone-egress/flows.js";
export * from "./definitions.js";
export { evidenceJson, evidenceObjects, evidenceReport } from "./evidence/report.js";
export { PolicyInputError } from "./model/errors.js";
export { activeExemptions, epochSeconds, nextExemptionExpiry } from "./model/exemption.js";
export * from "./model/labels.js";
export { canonicalQuantity, exactQuantity, isIntegerQuantity, parseQuantity, quantityValue, sameQuantity } from "./model/quantity.js";
export {
  type Exemption,
  exemptionSchema,
  type FlowGrant,
  flowGrantSchema,
  type ParsedTenantInput,
  STORAGE_CLASSES,
  type StorageClassName,
  type TenantInput,
  type TenantQuota,
  tenantInputSchema,
  tenantQuotaSchema,
} from "./model/tenant.js";
export { canonicalJson, hashOf, sha256 } from "./observe/canonical.js";
