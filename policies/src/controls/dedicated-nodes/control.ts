import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import { DEDICATED_NODE_VALUE, DEDICATED_TAINT_KEY } from "../../model/labels.js";
import type { Level } from "../../model/level.js";

/**
 * `forbidden`: the pod may not tolerate the dedicated-node taint (levels 1–3;
 * a level-3 system that needs dedicated nodes gets an exemption);
 * `required`: it must tolerate it and select the dedicated nodes (level 4).
 */
export type DedicatedMode = "forbidden" | "required";

export interface DedicatedParams {
  mode: DedicatedMode;
  taintKey: string;
  nodeValue: string;
}

const forbidden: DedicatedParams = { mode: "forbidden", taintKey: DEDICATED_TAINT_KEY, nodeValue: DEDICATED_NODE_VALUE };

export const DEDICATED_PARAMS: Record<Level, DedicatedParams> = {
  1: forbidden,
  2: forbidden,
  3: forbidden,
  4: { mode: "required", taintKey: DEDICATED_TAINT_KEY, nodeValue: DEDICATED_NODE_VALUE },
};

/** A toleration for the taint key, or a wildcard toleration (empty key, Exists) that tolerates every taint. */
const TOLERATES =
  "variables.podSpec.?tolerations.orValue([]).exists(t, t.?key.orValue('') == params.data['taintKey'] || " +
  "(t.?key.orValue('') == '' && t.?operator.orValue('Equal') == 'Exists'))";
const PINNED =
  "params.data['taintKey'] in variables.podSpec.?nodeSelector.orValue({}) && " +
  "variables.podSpec.nodeSelector[params.data['taintKey']] == params.data['nodeValue']";

export const dedicatedNodes = defineControl<DedicatedParams>({
  id: "dedicated-nodes",
  order: 110,
  title: { zh: "四级系统专用节点", en: "Dedicated nodes for level 4" },
  family: "cloud-extension",
  requirement: {
    zh: "计算资源隔离：四级系统独占专用节点，其他系统不得调度到专用节点上。",
    en: "Compute isolation: level-4 systems run on dedicated nodes of their own and no other system is scheduled there.",
  },
  mechanisms: ["validating-admission-policy"],
  exemptible: true,
  params: DEDICATED_PARAMS,
  summarize: (p) =>
    p.mode === "required"
      ? {
          zh: `必须容忍污点 ${p.taintKey} 并选择 ${p.taintKey}=${p.nodeValue} 的节点`,
          en: `must tolerate taint ${p.taintKey} and select nodes ${p.taintKey}=${p.nodeValue}`,
        }
      : { zh: `禁止容忍污点 ${p.taintKey}`, en: `may not tolerate taint ${p.taintKey}` },
  refusals: () => [refusalTag("dedicated-nodes")],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "dedicated-nodes",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: [...POD_SPEC_VARIABLES, { name: "tolerates", expression: TOLERATES }, { name: "pinned", expression: PINNED }],
        rules: [
          {
            expression: "params.data['mode'] != 'forbidden' || !variables.tolerates",
            message: { zh: "仅四级系统可使用专用节点", en: "only level-4 systems may tolerate the dedicated-node taint" },
          },
          {
            expression: "params.data['mode'] != 'required' || (variables.tolerates && variables.pinned)",
            message: {
              zh: "四级系统须容忍专用节点污点并选择专用节点",
              en: "level-4 workloads must tolerate the dedicated-node taint and select dedicated nodes",
            },
          },
        ],
      },
      levels.map((l) => ({ level: l.level, params: { mode: l.params.mode, taintKey: l.params.taintKey, nodeValue: l.params.nodeValue } })),
    ),
});
