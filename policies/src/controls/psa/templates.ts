// Pod Security for workload templates. Pod Security Admission judges Pods only: a Deployment or
// CronJob whose template breaks the namespace's profile is accepted and its pods are then refused
// one by one, the reason buried in ReplicaSet or Job events. This policy judges the template at
// apply time, check by check as Pod Security Admission does, with the message a pod would get
// (`violates PodSecurity "baseline:v1.34": host namespaces (hostNetwork=true)`).

import { meta } from "../../compile/meta.js";
import { celString, compileBinding, compileParams, policyName } from "../../compile/vap.js";
import { SPEC_CHANGED } from "../../compile/workloads.js";
import type { KubeObject, NamedExpression, RuleWithOperations, ValidatingAdmissionPolicyObject, Validation } from "../../model/k8s.js";
import { PSA_VERSION } from "../../model/labels.js";
import type { Level } from "../../model/level.js";

export type EnforcedProfile = "baseline" | "restricted";

/** The pod-bearing kinds other than Pod (which Pod Security Admission itself judges). */
export const TEMPLATE_RULES: RuleWithOperations[] = [
  {
    apiGroups: ["apps"],
    apiVersions: ["v1"],
    operations: ["CREATE", "UPDATE"],
    resources: ["deployments", "replicasets", "statefulsets", "daemonsets"],
    scope: "Namespaced",
  },
  { apiGroups: ["batch"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["jobs", "cronjobs"], scope: "Namespaced" },
];

/** Capabilities baseline lets a container add (Pod Security Standards, v1.34). */
export const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
] as const;

/** Namespaced sysctls baseline allows. */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
] as const;

/** SELinux types baseline allows ("" = unset). */
export const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"] as const;

/** Volume sources restricted forbids (everything but configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret). */
export const RESTRICTED_VOLUME_SOURCES = [
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "cephfs",
  "cinder",
  "fc",
  "flexVolume",
  "flocker",
  "gcePersistentDisk",
  "gitRepo",
  "glusterfs",
  "hostPath",
  "iscsi",
  "nfs",
  "photonPersistentDisk",
  "portworxVolume",
  "quobyte",
  "rbd",
  "scaleIO",
  "storageos",
  "vsphereVolume",
] as const;

const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

const list = (values: readonly string[]) => `[${values.map(celString).join(", ")}]`;

const VARIABLES: NamedExpression[] = [
  {
    name: "template",
    expression: "request.kind.kind == 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template",
  },
  { name: "podSpec", expression: "variables.template.spec" },
  { name: "containers", expression: "variables.podSpec.containers + variables.podSpec.?initContainers.orValue([])" },
  { name: "annotations", expression: "variables.template.?metadata.?annotations.orValue({})" },
  { name: "restricted", expression: "params.data.profile == 'restricted'" },
];

/** `container "a"` / `containers "a", "b"` for the containers `filter` selects (a CEL list of containers). */
function named(filter: string): string {
  return `(size(${filter}) == 1 ? 'container ' : 'containers ') + ${filter}.map(c, '"' + c.name + '"').join(', ')`;
}

const containersWhere = (predicate: string) => `variables.containers.filter(c, ${predicate})`;

interface Check {
  /** Pod Security's name of the check, as its messages start. */
  title: string;
  /** Only where restricted is enforced. */
  restrictedOnly?: boolean;
  /** Only where baseline is enforced: restricted replaces it with a stricter check of its own. */
  baselineOnly?: boolean;
  /** True when the template passes. */
  passes: string;
  /** CEL for the parenthesised detail, evaluated only when the check fails. */
  detail: string;
}

const HOST_PROCESS = "c.?securityContext.?windowsOptions.?hostProcess.orValue(false)";
const PRIVILEGED = "c.?securityContext.?privileged.orValue(false)";
const ADDED = "c.?securityContext.?capabilities.?add.orValue([])";
const HOST_PORTS = "c.?ports.orValue([]).filter(p, p.?hostPort.orValue(0) != 0)";
const SELINUX_BAD = (sc: string) =>
  `(!(${sc}.?seLinuxOptions.?type.orValue('') in ${list(SELINUX_TYPES)}) || ${sc}.?seLinuxOptions.?user.orValue('') != '' || ${sc}.?seLinuxOptions.?role.orValue('') != '')`;
const POD_SC = "variables.podSpec.?securityContext";
const SECCOMP = (sc: string) => `${sc}.?seccompProfile.?type.orValue('')`;
const EFFECTIVE_SECCOMP = `c.?securityContext.?seccompProfile.?type.orValue(${SECCOMP(POD_SC)})`;
const NON_ROOT = `c.?securityContext.?runAsNonRoot.orValue(${POD_SC}.?runAsNonRoot.orValue(false))`;
const ESCALATION_ALLOWED = "c.?securityContext.?allowPrivilegeEscalation.orValue(true)";
const DROPS_ALL = "'ALL' in c.?securityContext.?capabilities.?drop.orValue([])";
const NOT_DROPPING = `variables.containers.filter(c, !(${DROPS_ALL}))`;
const ADDING = `variables.containers.filter(c, ${ADDED}.exists(a, a != 'NET_BIND_SERVICE'))`;
const APPARMOR_BAD_VALUE = "!(V == 'runtime/default' || V.startsWith('localhost/'))";
const SYSCTLS_BAD = `${POD_SC}.?sysctls.orValue([]).filter(s, !(s.name in ${list(SAFE_SYSCTLS)}))`;
/** The restricted source a volume uses, by name (a nested conditional over the sources). */
const VOLUME_TYPE = RESTRICTED_VOLUME_SOURCES.reduceRight((otherwise, field) => `(has(v.${field}) ? '${field}' : ${otherwise})`, "'unknown'");
const VOLUMES_WITH = (fields: readonly string[]) => `variables.podSpec.?volumes.orValue([]).filter(v, ${fields.map((f) => `has(v.${f})`).join(" || ")})`;

/**
 * Pod Security Standards' checks, in Pod Security Admission's order; baseline's first, then what
 * restricted adds. Each says what it requires with the words Pod Security Admission uses.
 */
export const CHECKS: readonly Check[] = [
  {
    title: "hostProcess",
    passes: `!${POD_SC}.?windowsOptions.?hostProcess.orValue(false) && variables.containers.all(c, !${HOST_PROCESS})`,
    detail: "'pod or containers must not set securityContext.windowsOptions.hostProcess=true'",
  },
  {
    title: "host namespaces",
    passes: "!variables.podSpec.?hostNetwork.orValue(false) && !variables.podSpec.?hostPID.orValue(false) && !variables.podSpec.?hostIPC.orValue(false)",
    detail:
      "[variables.podSpec.?hostNetwork.orValue(false) ? 'hostNetwork=true' : '', variables.podSpec.?hostPID.orValue(false) ? 'hostPID=true' : '', " +
      "variables.podSpec.?hostIPC.orValue(false) ? 'hostIPC=true' : ''].filter(s, s != '').join(', ')",
  },
  {
    title: "privileged",
    passes: `variables.containers.all(c, !${PRIVILEGED})`,
    detail: `${named(containersWhere(PRIVILEGED))} + ' must not set securityContext.privileged=true'`,
  },
  {
    title: "non-default capabilities",
    baselineOnly: true,
    passes: `variables.containers.all(c, ${ADDED}.all(a, a in ${list(BASELINE_CAPABILITIES)}))`,
    detail:
      `${named(containersWhere(`${ADDED}.exists(a, !(a in ${list(BASELINE_CAPABILITIES)}))`))} + ' must not include ' + ` +
      `${containersWhere(`${ADDED}.exists(a, !(a in ${list(BASELINE_CAPABILITIES)}))`)}.map(c, ${ADDED}.filter(a, !(a in ${list(BASELINE_CAPABILITIES)})).map(a, '"' + a + '"').join(', ')).join(', ') + ' in securityContext.capabilities.add'`,
  },
  {
    title: "hostPath volumes",
    baselineOnly: true,
    passes: "variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))",
    detail: `${VOLUMES_WITH(["hostPath"])}.map(v, 'volume "' + v.name + '"').join(', ')`,
  },
  {
    title: "hostPort",
    passes: `variables.containers.all(c, size(${HOST_PORTS}) == 0)`,
    detail: `${containersWhere(`size(${HOST_PORTS}) > 0`)}.map(c, 'container "' + c.name + '" uses hostPort ' + ${HOST_PORTS}.map(p, string(p.hostPort)).join(', ')).join('; ')`,
  },
  {
    title: "forbidden AppArmor profile",
    passes:
      `variables.annotations.all(k, !k.startsWith('${APPARMOR_ANNOTATION}') || !${APPARMOR_BAD_VALUE.replaceAll("V", "variables.annotations[k]")}) && ` +
      `${POD_SC}.?appArmorProfile.?type.orValue('') != 'Unconfined' && variables.containers.all(c, c.?securityContext.?appArmorProfile.?type.orValue('') != 'Unconfined')`,
    detail: "'pod or containers must not set an Unconfined AppArmor profile'",
  },
  {
    title: "seLinuxOptions",
    passes: `!${SELINUX_BAD(POD_SC)} && variables.containers.all(c, !${SELINUX_BAD("c.?securityContext")})`,
    detail:
      "'pod or containers must not set forbidden securityContext.seLinuxOptions (type outside container_t, container_init_t, container_kvm_t, container_engine_t; user; role)'",
  },
  {
    title: "procMount",
    passes: "variables.containers.all(c, c.?securityContext.?procMount.orValue('Default') == 'Default')",
    detail: `${named(containersWhere("c.?securityContext.?procMount.orValue('Default') != 'Default'"))} + ' must not set securityContext.procMount to \\"Unmasked\\"'`,
  },
  {
    title: "seccompProfile",
    baselineOnly: true,
    passes: `${SECCOMP(POD_SC)} != 'Unconfined' && variables.containers.all(c, ${SECCOMP("c.?securityContext")} != 'Unconfined')`,
    detail: "'pod or containers must not set securityContext.seccompProfile.type to \"Unconfined\"'",
  },
  {
    title: "forbidden sysctls",
    passes: `size(${SYSCTLS_BAD}) == 0`,
    detail: `${SYSCTLS_BAD}.map(s, s.name).join(', ')`,
  },
  {
    title: "restricted volume types",
    restrictedOnly: true,
    passes: `size(${VOLUMES_WITH(RESTRICTED_VOLUME_SOURCES)}) == 0`,
    detail: `${VOLUMES_WITH(RESTRICTED_VOLUME_SOURCES)}.map(v, 'volume "' + v.name + '" uses restricted volume type "' + ${VOLUME_TYPE} + '"').join(', ')`,
  },
  {
    title: "allowPrivilegeEscalation != false",
    restrictedOnly: true,
    passes: `variables.containers.all(c, !${ESCALATION_ALLOWED})`,
    detail: `${named(containersWhere(ESCALATION_ALLOWED))} + ' must set securityContext.allowPrivilegeEscalation=false'`,
  },
  {
    title: "unrestricted capabilities",
    restrictedOnly: true,
    passes: `variables.containers.all(c, ${DROPS_ALL} && ${ADDED}.all(a, a == 'NET_BIND_SERVICE'))`,
    detail:
      `[size(${NOT_DROPPING}) > 0 ? ${named(NOT_DROPPING)} + ' must set securityContext.capabilities.drop=[\\"ALL\\"]' : '', ` +
      `size(${ADDING}) > 0 ? ${named(ADDING)} + ' must not include ' + ${ADDING}.map(c, ${ADDED}.filter(a, a != 'NET_BIND_SERVICE').map(a, '"' + a + '"').join(', ')).join(', ') + ' in securityContext.capabilities.add' : '']` +
      ".filter(s, s != '').join('; ')",
  },
  {
    title: "runAsNonRoot != true",
    restrictedOnly: true,
    passes: `variables.containers.all(c, ${NON_ROOT})`,
    detail: `'pod or ' + ${named(containersWhere(`!${NON_ROOT}`))} + ' must set securityContext.runAsNonRoot=true'`,
  },
  {
    title: "runAsUser=0",
    restrictedOnly: true,
    passes: `${POD_SC}.?runAsUser.orValue(-1) != 0 && variables.containers.all(c, c.?securityContext.?runAsUser.orValue(-1) != 0)`,
    detail: "'pod and containers must not set runAsUser=0'",
  },
  {
    title: "seccompProfile",
    restrictedOnly: true,
    passes: `variables.containers.all(c, ${EFFECTIVE_SECCOMP} in ['RuntimeDefault', 'Localhost'])`,
    detail: `'pod or ' + ${named(containersWhere(`!(${EFFECTIVE_SECCOMP} in ['RuntimeDefault', 'Localhost'])`))} + ' must set securityContext.seccompProfile.type to \\"RuntimeDefault\\" or \\"Localhost\\"'`,
  },
];

/** `violates PodSecurity "<profile>:v1.34": <title> (<detail>)`: what Pod Security Admission tells a pod. */
export function podSecurityMessage(profile: EnforcedProfile, title: string, detail: string): string {
  return `violates PodSecurity "${profile}:${PSA_VERSION}": ${title} (${detail})`;
}

function validation(check: Check): Validation {
  const passes = check.restrictedOnly
    ? `!variables.restricted || (${check.passes})`
    : check.baselineOnly
      ? `variables.restricted || (${check.passes})`
      : check.passes;
  return {
    expression: passes,
    message: `violates PodSecurity: ${check.title}`,
    messageExpression: `'violates PodSecurity "' + params.data.profile + ':${PSA_VERSION}": ${check.title.replaceAll("'", "\\'")} (' + (${check.detail}) + ')'`,
    reason: "Forbidden",
  };
}

export function templatePolicy(): ValidatingAdmissionPolicyObject {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: meta(policyName("psa"), "psa"),
    spec: {
      failurePolicy: "Fail",
      paramKind: { apiVersion: "v1", kind: "ConfigMap" },
      matchConstraints: { matchPolicy: "Equivalent", namespaceSelector: {}, objectSelector: {}, resourceRules: TEMPLATE_RULES },
      matchConditions: [SPEC_CHANGED],
      variables: VARIABLES,
      validations: CHECKS.map(validation),
    },
  };
}

/** Parameters (the enforced profile per level), the policy, and one binding per level skipping exempted namespaces. */
export function compileTemplatePolicy(levels: ReadonlyArray<{ level: Level; profile: EnforcedProfile }>): KubeObject[] {
  if (levels.length === 0) return [];
  return [
    ...levels.map((l) => compileParams("psa", l.level, { profile: l.profile })),
    templatePolicy(),
    ...levels.map((l) => compileBinding("psa", { level: l.level, params: { profile: l.profile } })),
  ];
}
