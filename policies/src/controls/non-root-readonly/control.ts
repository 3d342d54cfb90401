import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

export interface NonRootParams {
  runAsNonRoot: true;
  readOnlyRootFilesystem: true;
}

export const NON_ROOT_PARAMS: Partial<Record<Level, NonRootParams>> = {
  3: { runAsNonRoot: true, readOnlyRootFilesystem: true },
  4: { runAsNonRoot: true, readOnlyRootFilesystem: true },
};

/** A container's setting, falling back to the pod's securityContext as the kubelet does. */
const NON_ROOT = "c.?securityContext.?runAsNonRoot.orValue(variables.podSpec.?securityContext.?runAsNonRoot.orValue(false))";
const ROOT_UID = "c.?securityContext.?runAsUser.orValue(variables.podSpec.?securityContext.?runAsUser.orValue(-1)) == 0";
const READ_ONLY = "c.?securityContext.?readOnlyRootFilesystem.orValue(false)";

export const nonRootReadonly = defineControl<NonRootParams>({
  id: "non-root-readonly",
  order: 90,
  title: { zh: "非 root 运行与只读根文件系统", en: "Non-root, read-only root filesystem" },
  family: "computing-environment",
  requirement: {
    zh: "入侵防范与最小权限：容器不以 root 身份运行，根文件系统只读，阻止篡改程序文件。",
    en: "Intrusion prevention and least privilege: containers never run as root and their root filesystem is read-only, so program files cannot be tampered with.",
  },
  mechanisms: ["validating-admission-policy"],
  exemptible: true,
  params: NON_ROOT_PARAMS,
  summarize: () => ({
    zh: "所有容器 runAsNonRoot=true、不使用 UID 0、readOnlyRootFilesystem=true",
    en: "every container runAsNonRoot=true, never UID 0, readOnlyRootFilesystem=true",
  }),
  refusals: () => [refusalTag("non-root-readonly")],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "non-root-readonly",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: POD_SPEC_VARIABLES,
        rules: [
          {
            expression: `variables.allContainers.all(c, ${NON_ROOT} && !(${ROOT_UID}))`,
            message: { zh: "容器须以非 root 身份运行", en: "containers must run as non-root" },
            detail: `variables.allContainers.filter(c, !(${NON_ROOT}) || ${ROOT_UID}).map(c, c.name).join(', ')`,
          },
          {
            expression: `variables.allContainers.all(c, ${READ_ONLY})`,
            message: { zh: "容器根文件系统须为只读", en: "containers must have a read-only root filesystem" },
            detail: `variables.allContainers.filter(c, !${READ_ONLY}).map(c, c.name).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({ level: l.level })),
    ),
});
