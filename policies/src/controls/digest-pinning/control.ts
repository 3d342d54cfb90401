import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

export interface DigestParams {
  /** The image reference must end in a content digest of this algorithm. */
  algorithm: "sha256";
}

export const DIGEST_PARAMS: Partial<Record<Level, DigestParams>> = {
  3: { algorithm: "sha256" },
  4: { algorithm: "sha256" },
};

/** RE2 pattern (CEL `matches`) for a pinned reference. */
export const DIGEST_PATTERN = "@sha256:[0-9a-f]{64}$";

const PINNED = `c.image.matches('${DIGEST_PATTERN}')`;

export const digestPinning = defineControl<DigestParams>({
  id: "digest-pinning",
  order: 60,
  title: { zh: "镜像摘要固定", en: "Image digest pinning" },
  family: "cloud-extension",
  requirement: {
    zh: "镜像完整性校验：镜像以内容摘要引用，标签被改写也不会运行未经审核的内容。",
    en: "Image integrity verification: images are referenced by content digest, so a re-pointed tag never runs unreviewed content.",
  },
  mechanisms: ["validating-admission-policy"],
  exemptible: true,
  params: DIGEST_PARAMS,
  summarize: (p) => ({ zh: `镜像须以 @${p.algorithm} 摘要引用`, en: `images must be referenced by @${p.algorithm} digest` }),
  refusals: () => [refusalTag("digest-pinning")],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "digest-pinning",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: POD_SPEC_VARIABLES,
        rules: [
          {
            expression: `variables.allContainers.all(c, ${PINNED})`,
            message: { zh: "镜像未以 sha256 摘要固定", en: "image is not pinned by sha256 digest" },
            detail: `variables.allContainers.filter(c, !${PINNED}).map(c, c.image).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({ level: l.level })),
    ),
});
