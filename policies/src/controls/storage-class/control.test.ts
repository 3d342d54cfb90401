import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import type { KubeObject, ResourceQuotaObject } from "../../model/k8s.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl, find, tenantObjects } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { podSpecOf } from "../../testing/pod-spec.js";
import { STORAGE_CLASS_PARAMS, storageClass } from "./control.js";
import { storageClassFixtures } from "./fixtures.js";

const quota = (level: 1 | 2 | 3 | 4, exempt = false) =>
  find<ResourceQuotaObject>(tenantObjects(level, { exempt: exempt ? ["storage-class"] : [] }), "ResourceQuota", "zhengyun-storage-class")?.spec.hard;

const classesOf = (object: KubeObject): (string | undefined)[] => {
  if (object.kind === "PersistentVolumeClaim") return [(object.spec as { storageClassName?: string }).storageClassName];
  const templates = (object.spec as { volumeClaimTemplates?: { spec: { storageClassName?: string } }[] }).volumeClaimTemplates ?? [];
  const ephemeral = (podSpecOf(object).volumes ?? []).flatMap((v) => (v.ephemeral ? [v.ephemeral.volumeClaimTemplate?.spec.storageClassName] : []));
  return [...templates.map((t) => t.spec.storageClassName), ...ephemeral];
};

describe("storage-class", () => {
  it("allows any catalog class at levels 1-2 and only encrypted at 3-4", () => {
    const { params, bindingLevels } = compiledControl(storageClass);
    expect(bindingLevels).toEqual([...LEVELS]);
    expect(params.get(1)?.classes).toBe("standard,ssd,encrypted");
    expect(params.get(3)?.classes).toBe("encrypted");
    expect(params.get(4)?.classes).toBe("encrypted");
  });

  it("gives unencrypted classes no storage quota at levels 3-4, whatever was approved", () => {
    expect(quota(2)).toEqual({
      "standard.storageclass.storage.k8s.io/requests.storage": "10Gi",
      "ssd.storageclass.storage.k8s.io/requests.storage": "20Gi",
      "encrypted.storageclass.storage.k8s.io/requests.storage": "30Gi",
    });
    expect(quota(3)).toEqual({
      "standard.storageclass.storage.k8s.io/requests.storage": "0",
      "ssd.storageclass.storage.k8s.io/requests.storage": "0",
      "encrypted.storageclass.storage.k8s.io/requests.storage": "30Gi",
    });
    expect(quota(4, true)?.["standard.storageclass.storage.k8s.io/requests.storage"]).toBe("10Gi");
  });

  it("checks claims, StatefulSet claim templates and generic ephemeral volumes", () => {
    const resources = compiledControl(storageClass).policy?.spec.matchConstraints.resourceRules.flatMap((r) => r.resources) ?? [];
    expect(resources).toEqual(expect.arrayContaining(["persistentvolumeclaims", "statefulsets", "pods", "deployments"]));
    const claims = compiledControl(storageClass).policy?.spec.variables?.find((v) => v.name === "claims")?.expression ?? "";
    expect(claims).toContain("volumeClaimTemplates");
    expect(claims).toContain("v.ephemeral.volumeClaimTemplate.spec");
  });

  it("names only allowed classes in good fixtures and a disallowed or missing class in every bad one", () => {
    for (const level of LEVELS) {
      const allowed: readonly (string | undefined)[] = STORAGE_CLASS_PARAMS[level].classes;
      for (const f of storageClassFixtures.good(fixtureContext(level)))
        expect(
          classesOf(f.object).every((c) => allowed.includes(c)),
          f.name,
        ).toBe(true);
      for (const f of storageClassFixtures.bad(fixtureContext(level)))
        expect(
          classesOf(f.object).some((c) => !allowed.includes(c)),
          f.name,
        ).toBe(true);
    }
  });

  fixtureHygiene(storageClass, storageClassFixtures);
});
