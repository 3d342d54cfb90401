import type { V1PersistentVolumeClaimSpec } from "@kubernetes/client-node";
import { mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads, workload } from "../../fixtures/workloads.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import type { KubeObject } from "../../model/k8s.js";
import type { Level } from "../../model/level.js";
import { STORAGE_CLASSES } from "../../model/tenant.js";
import { STORAGE_CLASS_PARAMS } from "./control.js";

function claimSpec(storageClass: string | undefined): V1PersistentVolumeClaimSpec {
  const spec: V1PersistentVolumeClaimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
  if (storageClass !== undefined) spec.storageClassName = storageClass;
  return spec;
}

function pvc(name: string, storageClass: string | undefined): KubeObject {
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name }, spec: claimSpec(storageClass) };
}

function statefulSet(level: Level, name: string, storageClass: string | undefined): KubeObject {
  const object = workload(
    "StatefulSet",
    name,
    podSpecWith(level, (spec) => {
      mainContainer(spec).volumeMounts = [{ name: "data", mountPath: "/data" }];
    }),
  );
  (object.spec as Record<string, unknown>).volumeClaimTemplates = [{ metadata: { name: "data" }, spec: claimSpec(storageClass) }];
  return object;
}

function ephemeralPod(level: Level, name: string, storageClass: string | undefined): AdmissionFixture[] {
  return asWorkloads(
    name,
    `generic ephemeral volume of class ${storageClass ?? "(none)"}`,
    podSpecWith(level, (spec) => {
      spec.volumes = [{ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: claimSpec(storageClass) } } }];
      mainContainer(spec).volumeMounts = [{ name: "scratch", mountPath: "/scratch" }];
    }),
    { kinds: ["Pod", "Deployment"] },
  );
}

function fixturesFor(level: Level, name: string, storageClass: string | undefined): AdmissionFixture[] {
  const label = storageClass ?? "(none)";
  return [
    { name: `${name}-pvc`, description: `claim of class ${label}`, object: pvc(`${name}-pvc`, storageClass) },
    { name: `${name}-sts`, description: `StatefulSet claim template of class ${label}`, object: statefulSet(level, `${name}-sts`, storageClass) },
    ...ephemeralPod(level, `${name}-eph`, storageClass),
  ];
}

export const storageClassFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => STORAGE_CLASS_PARAMS[level].classes.flatMap((c) => fixturesFor(level, `storage-${c}`, c)),
  bad: ({ level }) => {
    const allowed: readonly string[] = STORAGE_CLASS_PARAMS[level].classes;
    const forbidden = STORAGE_CLASSES.filter((c) => !allowed.includes(c));
    return [
      ...fixturesFor(level, "storage-unset", undefined),
      ...fixturesFor(level, "storage-unlisted", "nfs-legacy"),
      ...forbidden.flatMap((c) => fixturesFor(level, `storage-${c}`, c)),
    ];
  },
};
