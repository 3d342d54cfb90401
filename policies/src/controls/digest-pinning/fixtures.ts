import { compliantContainer, compliantImage, compliantPodSpec, DEMO_DIGEST, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixtures } from "../../model/fixture.js";

export const digestPinningFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => [
    ...asWorkloads("digest-pinned", "image pinned by sha256 digest", compliantPodSpec(level)),
    ...asWorkloads(
      "digest-tag-and-digest",
      "tag kept for readability, digest decides",
      podSpecWith(level, (spec) => {
        mainContainer(spec).image = compliantImage(level).replace("@sha256:", ":1.0@sha256:");
      }),
    ),
  ],
  bad: ({ level }) => {
    const unpinned = compliantImage(level).replace(/@sha256:[0-9a-f]+$/, ":1.0");
    return [
      ...asWorkloads(
        "digest-tag-only",
        "image referenced by tag only",
        podSpecWith(level, (spec) => {
          mainContainer(spec).image = unpinned;
        }),
      ),
      ...asWorkloads(
        "digest-truncated",
        "truncated digest",
        podSpecWith(level, (spec) => {
          mainContainer(spec).image = unpinned.replace(":1.0", `@sha256:${DEMO_DIGEST.slice(0, 12)}`);
        }),
      ),
      ...asWorkloads(
        "digest-init-tag",
        "init container referenced by tag",
        podSpecWith(level, (spec) => {
          const init = compliantContainer(level, "init");
          init.image = unpinned;
          spec.initContainers = [init];
        }),
      ),
    ];
  },
};
