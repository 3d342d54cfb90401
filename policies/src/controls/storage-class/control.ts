import { quotaName, resourceQuota } from "../../compile/quota.js";
import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";
import { STORAGE_CLASSES, type StorageClassName } from "../../model/tenant.js";

export interface StorageClassParams {
  /** Storage classes a claim may name. */
  classes: readonly StorageClassName[];
}

export const STORAGE_CLASS_PARAMS: Record<Level, StorageClassParams> = {
  1: { classes: STORAGE_CLASSES },
  2: { classes: STORAGE_CLASSES },
  3: { classes: ["encrypted"] },
  4: { classes: ["encrypted"] },
};

export function storageQuotaKey(storageClass: string): string {
  return `${storageClass}.storageclass.storage.k8s.io/requests.storage`;
}

/**
 * Every claim spec the request introduces: the PVC itself, a StatefulSet's
 * volumeClaimTemplates, and generic ephemeral volumes of any pod spec.
 */
const CLAIMS =
  "request.kind.kind == 'PersistentVolumeClaim' ? [object.spec] : " +
  "((request.kind.kind == 'StatefulSet' ? object.spec.?volumeClaimTemplates.orValue([]).map(t, t.spec) : []) + " +
  "variables.podSpec.?volumes.orValue([]).filter(v, has(v.ephemeral)).map(v, v.ephemeral.volumeClaimTemplate.spec))";

const ALLOWED = "s.?storageClassName.orValue('') in variables.classes";

export const storageClass = defineControl<StorageClassParams>({
  id: "storage-class",
  order: 100,
  title: { zh: "存储类别限制", en: "Storage class restriction" },
  family: "computing-environment",
  requirement: {
    zh: "数据保密性：三级及以上系统的数据只存放在加密存储上；存储类别须显式声明并在允许范围内。",
    en: "Data confidentiality: data of level 3+ systems is stored only on encrypted storage; the storage class is explicit and allowed.",
  },
  mechanisms: ["validating-admission-policy", "resource-quota"],
  exemptible: true,
  params: STORAGE_CLASS_PARAMS,
  summarize: (p) => ({ zh: `存储类别仅限：${p.classes.join("、")}`, en: `storage classes allowed: ${p.classes.join(", ")}` }),
  refusals: () => [refusalTag("storage-class"), `exceeded quota: ${quotaName("storage-class")}`],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "storage-class",
        resourceRules: [
          {
            apiGroups: [""],
            apiVersions: ["v1"],
            operations: ["CREATE", "UPDATE"],
            resources: ["persistentvolumeclaims"],
            scope: "Namespaced",
          },
          ...POD_SPEC_RULES,
        ],
        matchConditions: [SPEC_CHANGED],
        variables: [...POD_SPEC_VARIABLES, { name: "classes", expression: "params.data['classes'].split(',')" }, { name: "claims", expression: CLAIMS }],
        rules: [
          {
            expression: `variables.claims.all(s, ${ALLOWED})`,
            message: { zh: "存储类别未声明或不被本级别允许", en: "storage class missing or not allowed at this level" },
            detail: `variables.claims.filter(s, !(${ALLOWED})).map(s, s.?storageClassName.orValue('(none)')).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({ level: l.level, params: { classes: l.params.classes.join(",") } })),
    ),
  tenant: (ctx, params) => {
    const exempt = ctx.exempt.has("storage-class");
    const hard: Record<string, string> = {};
    for (const name of STORAGE_CLASSES) {
      const allowed = exempt || params.classes.includes(name);
      hard[storageQuotaKey(name)] = allowed ? (ctx.quota.storage[name] ?? "0") : "0";
    }
    return { objects: [resourceQuota("storage-class", ctx.namespace, hard)] };
  },
});
