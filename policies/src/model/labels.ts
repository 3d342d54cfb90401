/**
 * Label and annotation keys the platform writes. Namespaces are labelled by the
 * controller only; admission bindings and NetworkPolicies select on these keys.
 */
export const LABEL_PREFIX = "zhengyun.gov.cn";
export const LEVEL_LABEL = `${LABEL_PREFIX}/level`;
export const ZONE_LABEL = `${LABEL_PREFIX}/zone`;
export const DEPARTMENT_LABEL = `${LABEL_PREFIX}/department`;
export const SYSTEM_LABEL = `${LABEL_PREFIX}/system`;
/** Marks platform namespaces by role, e.g. the unified internet egress. */
export const ROLE_LABEL = `${LABEL_PREFIX}/role`;
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "zhengyun-policies";

/** Exemption label: `exempt.zhengyun.gov.cn/<control>=<expiry epoch seconds>`. */
export const EXEMPT_PREFIX = `exempt.${LABEL_PREFIX}`;
export function exemptionLabel(controlId: string): string {
  return `${EXEMPT_PREFIX}/${controlId}`;
}

/** Which control an object enforces, and the hash of its enforcing content. */
export const CONTROL_ANNOTATION = `${LABEL_PREFIX}/control`;
export const HASH_ANNOTATION = `${LABEL_PREFIX}/spec-hash`;

/** The automatic namespace name label set by the API server. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Pod Security Admission label keys and the pinned policy version. */
export const PSA_PREFIX = "pod-security.kubernetes.io";
export const PSA_VERSION = "v1.34";
export const PSA_MODES = ["enforce", "audit", "warn"] as const;

/** Platform namespaces. */
export const SYSTEM_NAMESPACE = "zhengyun-system";
export const EGRESS_NAMESPACE = "zhengyun-egress";
export const EGRESS_ROLE = "egress-gateway";

/** Taint and node label marking level-4 dedicated nodes. */
export const DEDICATED_TAINT_KEY = `${LABEL_PREFIX}/dedicated`;
export const DEDICATED_NODE_VALUE = "level4";

/** Label prefixes the platform owns on a tenant namespace (used for evidence hashing). */
export const OWNED_NAMESPACE_LABEL_PREFIXES = [`${LABEL_PREFIX}/`, `${PSA_PREFIX}/`, `${EXEMPT_PREFIX}/`] as const;

/**
 * Label prefixes on a namespace where a label the platform did not set is drift: an exemption or a
 * Pod Security mode added by hand weakens a control as much as one changed.
 */
export const WEAKENING_NAMESPACE_LABEL_PREFIXES = [`${PSA_PREFIX}/`, `${EXEMPT_PREFIX}/`] as const;
