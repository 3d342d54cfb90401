import { compliantContainer, imageAt, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import type { Level } from "../../model/level.js";
import { MIRROR_REGISTRY, REGISTRY_PARAMS } from "./control.js";

function withImage(level: Level, image: string) {
  return podSpecWith(level, (spec) => {
    mainContainer(spec).image = image;
  });
}

export const registryAllowlistFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) =>
    REGISTRY_PARAMS[level].prefixes.flatMap((prefix, i) =>
      asWorkloads(`registry-allowed-${i}`, `image from ${prefix}`, withImage(level, imageAt(level, `${prefix}platform/web`))),
    ),
  bad: ({ level }) => {
    const fixtures: AdmissionFixture[] = [
      ...asWorkloads("registry-docker-hub", "image from Docker Hub", withImage(level, imageAt(level, "docker.io/library/nginx"))),
      ...asWorkloads("registry-unqualified", "unqualified image name (resolves to Docker Hub)", withImage(level, imageAt(level, "nginx"))),
      ...asWorkloads(
        "registry-lookalike",
        "registry host that merely starts like the platform registry",
        withImage(level, imageAt(level, "registry.zhengyun.gov.cn.example.com/platform/web")),
      ),
      ...asWorkloads(
        "registry-bad-init",
        "init container from Docker Hub",
        podSpecWith(level, (spec) => {
          const init = compliantContainer(level, "init");
          init.image = imageAt(level, "docker.io/library/busybox");
          spec.initContainers = [init];
        }),
      ),
    ];
    if (!REGISTRY_PARAMS[level].prefixes.includes(MIRROR_REGISTRY)) {
      fixtures.push(
        ...asWorkloads(
          "registry-mirror",
          "image from the public mirror (not vetted for this level)",
          withImage(level, imageAt(level, `${MIRROR_REGISTRY}library/nginx`)),
        ),
      );
    }
    return fixtures;
  },
};
