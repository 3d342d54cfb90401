import type { V1PodSpec, V1SecurityContext } from "@kubernetes/client-node";
import { compliantPodSpec, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { ControlId } from "../../model/control.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import { PSA_VERSION } from "../../model/labels.js";
import type { Level } from "../../model/level.js";
import { PSA_PARAMS } from "./control.js";

export interface PodSecurityBreak {
  name: string;
  /** Pod Security's name of the check the spec fails, as its refusal says it. */
  check: string;
  description: string;
  /** Where restricted is enforced only. */
  restrictedOnly?: boolean;
  /** Other controls the spec breaks too (their policies may refuse a template first). */
  alsoViolates?: readonly ControlId[];
  change: (spec: V1PodSpec) => void;
}

function securityContext(spec: V1PodSpec, change: (sc: V1SecurityContext) => V1SecurityContext): void {
  const c = mainContainer(spec);
  c.securityContext = change({ ...c.securityContext });
}

/** One spec per Pod Security check, each failing that check alone (as far as the API lets it). */
export const POD_SECURITY_BREAKS: readonly PodSecurityBreak[] = [
  {
    name: "psa-host-network",
    check: "host namespaces",
    description: "shares the host network (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => {
      spec.hostNetwork = true;
    },
  },
  {
    name: "psa-host-pid",
    check: "host namespaces",
    description: "shares the host PID namespace (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => {
      spec.hostPID = true;
    },
  },
  {
    name: "psa-host-ipc",
    check: "host namespaces",
    description: "shares the host IPC namespace (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => {
      spec.hostIPC = true;
    },
  },
  {
    name: "psa-privileged",
    check: "privileged",
    description: "runs a privileged container (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => securityContext(spec, ({ allowPrivilegeEscalation: _invalidWithPrivileged, ...rest }) => ({ ...rest, privileged: true })),
  },
  {
    name: "psa-net-admin",
    check: "capabilities",
    description: "adds the NET_ADMIN capability (baseline forbids it)",
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, capabilities: { ...sc.capabilities, add: ["NET_ADMIN"] } })),
  },
  {
    name: "psa-host-path",
    // Baseline's "hostPath volumes"; restricted reports it among its "restricted volume types".
    check: "hostPath",
    description: "mounts a hostPath volume (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => {
      spec.volumes = [{ name: "host", hostPath: { path: "/var/run" } }];
      mainContainer(spec).volumeMounts = [{ name: "host", mountPath: "/host", readOnly: true }];
    },
  },
  {
    name: "psa-host-port",
    check: "hostPort",
    description: "binds a host port (baseline forbids it)",
    alsoViolates: ["no-host-access"],
    change: (spec) => {
      mainContainer(spec).ports = [{ containerPort: 8080, hostPort: 8080, protocol: "TCP" }];
    },
  },
  {
    name: "psa-apparmor",
    check: "AppArmor",
    description: "runs without AppArmor confinement (baseline forbids it)",
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, appArmorProfile: { type: "Unconfined" } })),
  },
  {
    name: "psa-selinux",
    check: "seLinuxOptions",
    description: "sets the SELinux type spc_t (baseline forbids it)",
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, seLinuxOptions: { type: "spc_t" } })),
  },
  {
    name: "psa-proc-mount",
    check: "procMount",
    description: "unmasks /proc (baseline forbids it)",
    change: (spec) => {
      spec.hostUsers = false;
      securityContext(spec, (sc) => ({ ...sc, procMount: "Unmasked" }));
    },
  },
  {
    name: "psa-seccomp-unconfined",
    check: "seccompProfile",
    description: "runs without seccomp confinement (baseline forbids Unconfined)",
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, seccompProfile: { type: "Unconfined" } })),
  },
  {
    name: "psa-sysctl",
    check: "forbidden sysctls",
    description: "sets the unsafe sysctl kernel.msgmax (baseline forbids it)",
    change: (spec) => {
      spec.securityContext = { ...spec.securityContext, sysctls: [{ name: "kernel.msgmax", value: "65536" }] };
    },
  },
  {
    name: "psa-nfs-volume",
    check: "restricted volume types",
    description: "mounts an NFS volume (restricted forbids it)",
    restrictedOnly: true,
    change: (spec) => {
      spec.volumes = [{ name: "share", nfs: { server: "nfs.yangzhou.gov.cn", path: "/exports" } }];
      mainContainer(spec).volumeMounts = [{ name: "share", mountPath: "/share", readOnly: true }];
    },
  },
  {
    name: "psa-privilege-escalation",
    check: "allowPrivilegeEscalation != false",
    description: "allows privilege escalation (restricted forbids it)",
    restrictedOnly: true,
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, allowPrivilegeEscalation: true })),
  },
  {
    name: "psa-keeps-capabilities",
    check: "unrestricted capabilities",
    description: "does not drop ALL capabilities (restricted requires it)",
    restrictedOnly: true,
    change: (spec) => securityContext(spec, ({ capabilities: _dropped, ...rest }) => rest),
  },
  {
    name: "psa-may-run-as-root",
    check: "runAsNonRoot != true",
    description: "does not set runAsNonRoot (restricted requires it)",
    restrictedOnly: true,
    alsoViolates: ["non-root-readonly"],
    change: (spec) => securityContext(spec, ({ runAsNonRoot: _dropped, ...rest }) => rest),
  },
  {
    name: "psa-uid-0",
    check: "runAsUser=0",
    description: "runs as UID 0 (restricted forbids it)",
    restrictedOnly: true,
    alsoViolates: ["non-root-readonly"],
    change: (spec) => securityContext(spec, (sc) => ({ ...sc, runAsUser: 0 })),
  },
  {
    name: "psa-no-seccomp",
    check: "seccompProfile",
    description: "sets no seccomp profile (restricted requires RuntimeDefault or Localhost)",
    restrictedOnly: true,
    change: (spec) => securityContext(spec, ({ seccompProfile: _dropped, ...rest }) => rest),
  },
];

/** The checks the profile enforced at `level` makes. */
export function breaksAt(level: Level): PodSecurityBreak[] {
  const restricted = PSA_PARAMS[level].enforce === "restricted";
  return POD_SECURITY_BREAKS.filter((b) => restricted || !b.restrictedOnly);
}

function warnedAs(level: Level, fixtures: AdmissionFixture[]): AdmissionFixture[] {
  const warning = `would violate PodSecurity "${PSA_PARAMS[level].warn}:${PSA_VERSION}"`;
  return fixtures.map((f) => ({ ...f, warning }));
}

/**
 * Pod Security Admission refuses Pods, and the template policy refuses every other pod-bearing
 * kind, for each check of the enforced profile. At level 2 Pod Security warns about what
 * restricted would refuse while enforcing baseline.
 */
export const psaFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => asWorkloads("psa-compliant", "meets the level's Pod Security Standard", compliantPodSpec(level)),
  bad: ({ level }) =>
    breaksAt(level).flatMap((b) => asWorkloads(b.name, b.description, podSpecWith(level, b.change), b.alsoViolates ? { alsoViolates: b.alsoViolates } : {})),
  warned: ({ level }) => {
    const params = PSA_PARAMS[level];
    if (params.warn === params.enforce) return [];
    return warnedAs(level, asWorkloads("psa-above-enforced", `meets ${params.enforce} but not ${params.warn}`, compliantPodSpec(level), { kinds: ["Pod"] }));
  },
};
