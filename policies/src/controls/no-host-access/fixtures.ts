import type { V1PodSpec } from "@kubernetes/client-node";
import { mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixtures } from "../../model/fixture.js";

/** Baseline Pod Security forbids all of these too, so on Pods it may refuse first. */
const OPTIONS = { alsoViolates: ["psa"] as const };

const BREAKS: ReadonlyArray<{ name: string; description: string; change: (spec: V1PodSpec) => void }> = [
  {
    name: "host-path",
    description: "mounts a hostPath volume",
    change: (spec) => {
      spec.volumes = [{ name: "host", hostPath: { path: "/var/run" } }];
      mainContainer(spec).volumeMounts = [{ name: "host", mountPath: "/host", readOnly: true }];
    },
  },
  {
    name: "privileged",
    description: "runs a privileged container",
    change: (spec) => {
      const c = mainContainer(spec);
      // The API rejects privileged together with allowPrivilegeEscalation=false as invalid.
      const { allowPrivilegeEscalation: _dropped, ...rest } = c.securityContext ?? {};
      c.securityContext = { ...rest, privileged: true };
    },
  },
  {
    name: "host-network",
    description: "shares the host network namespace",
    change: (spec) => {
      spec.hostNetwork = true;
    },
  },
  {
    name: "host-pid",
    description: "shares the host PID namespace",
    change: (spec) => {
      spec.hostPID = true;
    },
  },
  {
    name: "host-ipc",
    description: "shares the host IPC namespace",
    change: (spec) => {
      spec.hostIPC = true;
    },
  },
  {
    name: "host-port",
    description: "binds a host port",
    change: (spec) => {
      mainContainer(spec).ports = [{ containerPort: 8080, hostPort: 8080, protocol: "TCP" }];
    },
  },
];

export const noHostAccessFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) =>
    asWorkloads(
      "no-host-compliant",
      "uses an emptyDir and a container port only",
      podSpecWith(level, (spec) => {
        spec.volumes = [{ name: "scratch", emptyDir: {} }];
        const c = mainContainer(spec);
        c.volumeMounts = [{ name: "scratch", mountPath: "/tmp" }];
        c.ports = [{ containerPort: 8080, protocol: "TCP" }];
      }),
    ),
  bad: ({ level }) => BREAKS.flatMap((b) => asWorkloads(b.name, b.description, podSpecWith(level, b.change), OPTIONS)),
};
