/**
 * The small subset of Kubernetes object shapes this package emits. Compiled
 * objects are plain JSON (no client classes) so they can be hashed, diffed,
 * serialised to YAML and handed to any apply mechanism.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NamespaceObject extends KubeObject {
  apiVersion: "v1";
  kind: "Namespace";
}

export interface ConfigMapObject extends KubeObject {
  apiVersion: "v1";
  kind: "ConfigMap";
  data: Record<string, string>;
}

// --- admissionregistration.k8s.io/v1 -------------------------------------

export interface RuleWithOperations {
  apiGroups: string[];
  apiVersions: string[];
  operations: Array<"CREATE" | "UPDATE" | "DELETE" | "CONNECT" | "*">;
  resources: string[];
  scope: "Namespaced" | "Cluster" | "*";
}

export interface NamedExpression {
  name: string;
  expression: string;
}

export interface Validation {
  expression: string;
  message: string;
  messageExpression?: string;
  reason: "Forbidden" | "Invalid" | "Unauthorized" | "RequestEntityTooLarge";
}

export interface ValidatingAdmissionPolicySpec {
  failurePolicy: "Fail" | "Ignore";
  paramKind?: { apiVersion: string; kind: string };
  matchConstraints: {
    matchPolicy: "Equivalent" | "Exact";
    namespaceSelector: LabelSelector;
    objectSelector: LabelSelector;
    resourceRules: RuleWithOperations[];
  };
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  validations: Validation[];
}

export interface ValidatingAdmissionPolicyObject extends KubeObject {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "ValidatingAdmissionPolicy";
  spec: ValidatingAdmissionPolicySpec;
}

export interface ValidatingAdmissionPolicyBindingObject extends KubeObject {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "ValidatingAdmissionPolicyBinding";
  spec: {
    policyName: string;
    validationActions: Array<"Deny" | "Warn" | "Audit">;
    paramRef?: {
      name: string;
      namespace: string;
      parameterNotFoundAction: "Deny" | "Allow";
    };
    matchResources: {
      matchPolicy: "Equivalent" | "Exact";
      namespaceSelector: LabelSelector;
      objectSelector: LabelSelector;
    };
  };
}

// --- networking.k8s.io/v1 --------------------------------------------------

export interface NetworkPolicyPort {
  protocol: "TCP" | "UDP" | "SCTP";
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: Array<"Ingress" | "Egress">;
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicyObject extends KubeObject {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  spec: NetworkPolicySpec;
}

// --- quota -------------------------------------------------------------------

export interface ResourceQuotaObject extends KubeObject {
  apiVersion: "v1";
  kind: "ResourceQuota";
  spec: { hard: Record<string, string> };
}

export interface LimitRangeItem {
  type: "Container" | "Pod" | "PersistentVolumeClaim";
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  max?: Record<string, string>;
  min?: Record<string, string>;
}

export interface LimitRangeObject extends KubeObject {
  apiVersion: "v1";
  kind: "LimitRange";
  spec: { limits: LimitRangeItem[] };
}

/** A stable identity for an object: what the evidence report lists. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace !== undefined) ref.namespace = object.metadata.namespace;
  return ref;
}

/** `<apiVersion>/<kind>/<namespace>/<name>`: the one key of an object, wherever objects are matched. */
export function refKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

/** The key of an object (its `refKey`). */
export function objectKey(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): string {
  return refKey({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace });
}
