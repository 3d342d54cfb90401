import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

export interface RegistryParams {
  /** Image reference prefixes, each ending in "/" so "registry.x/" cannot match "registry.x.evil/". */
  prefixes: readonly string[];
}

/** The platform registry; levels 1–2 may also use the vetted mirror of public images. */
export const PLATFORM_REGISTRY = "registry.zhengyun.gov.cn/";
export const MIRROR_REGISTRY = "mirror.zhengyun.gov.cn/";

export const REGISTRY_PARAMS: Record<Level, RegistryParams> = {
  1: { prefixes: [PLATFORM_REGISTRY, MIRROR_REGISTRY] },
  2: { prefixes: [PLATFORM_REGISTRY, MIRROR_REGISTRY] },
  3: { prefixes: [PLATFORM_REGISTRY] },
  4: { prefixes: [PLATFORM_REGISTRY] },
};

const ALLOWED = "variables.prefixes.exists(p, c.image.startsWith(p))";

export const registryAllowlist = defineControl<RegistryParams>({
  id: "registry-allowlist",
  order: 50,
  title: { zh: "镜像仓库白名单", en: "Image registry allow-list" },
  family: "cloud-extension",
  requirement: {
    zh: "镜像和快照保护：只运行来自经加固、受控仓库的镜像。",
    en: "Image and snapshot protection: only images from hardened, controlled registries run.",
  },
  mechanisms: ["validating-admission-policy"],
  exemptible: true,
  params: REGISTRY_PARAMS,
  summarize: (p) => ({ zh: `镜像仅限：${p.prefixes.join("、")}`, en: `images only from: ${p.prefixes.join(", ")}` }),
  refusals: () => [refusalTag("registry-allowlist")],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "registry-allowlist",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: [...POD_SPEC_VARIABLES, { name: "prefixes", expression: "params.data['prefixes'].split(',')" }],
        rules: [
          {
            expression: `variables.allContainers.all(c, ${ALLOWED})`,
            message: { zh: "镜像不在允许的仓库中", en: "image is not from an allowed registry" },
            detail: `variables.allContainers.filter(c, !(${ALLOWED})).map(c, c.image).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({ level: l.level, params: { prefixes: l.params.prefixes.join(",") } })),
    ),
});
