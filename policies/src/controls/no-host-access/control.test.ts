import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { podSpecOf } from "../../testing/pod-spec.js";
import { noHostAccess } from "./control.js";
import { noHostAccessFixtures } from "./fixtures.js";

describe("no-host-access", () => {
  it("applies at every level with one binding per level", () => {
    expect(compiledControl(noHostAccess).bindingLevels).toEqual([...LEVELS]);
  });

  it("checks hostPath, privileged, host namespaces and host ports, each with its own message", () => {
    const messages = compiledControl(noHostAccess).policy?.spec.validations.map((v) => v.message) ?? [];
    expect(messages).toHaveLength(4);
    for (const word of ["hostPath", "privileged", "hostNetwork/hostPID/hostIPC", "hostPort"]) expect(messages.some((m) => m.includes(word))).toBe(true);
  });

  it("has bad fixtures that each use exactly one kind of host access, for every workload kind", () => {
    for (const level of LEVELS) {
      for (const fixture of noHostAccessFixtures.bad(fixtureContext(level))) {
        const pod = podSpecOf(fixture.object);
        const uses = [
          (pod.volumes ?? []).some((v) => v.hostPath),
          pod.containers.some((c) => c.securityContext?.privileged),
          Boolean(pod.hostNetwork || pod.hostPID || pod.hostIPC),
          pod.containers.some((c) => (c.ports ?? []).some((p) => p.hostPort)),
        ].filter(Boolean);
        expect(uses, fixture.name).toHaveLength(1);
        expect(fixture.alsoViolates ?? [], fixture.name).toEqual(["psa"]);
      }
    }
  });

  it("never writes a privileged container that the API would reject as invalid", () => {
    for (const level of LEVELS) {
      const privileged = noHostAccessFixtures.bad(fixtureContext(level)).filter((f) => f.name.startsWith("privileged"));
      for (const f of privileged) expect(podSpecOf(f.object).containers[0]?.securityContext?.allowPrivilegeEscalation).toBeUndefined();
    }
  });

  fixtureHygiene(noHostAccess, noHostAccessFixtures, { everyWorkloadKind: true });
});
