import type { Bilingual, ControlId } from "../model/control.js";
import type {
  ConfigMapObject,
  KubeObject,
  NamedExpression,
  RuleWithOperations,
  ValidatingAdmissionPolicyBindingObject,
  ValidatingAdmissionPolicyObject,
  Validation,
} from "../model/k8s.js";
import { exemptionLabel, LEVEL_LABEL, SYSTEM_NAMESPACE } from "../model/labels.js";
import type { Level } from "../model/level.js";
import { meta } from "./meta.js";

/** The prefix every refusal by a ValidatingAdmissionPolicy of this catalog starts with. */
export function refusalTag(id: ControlId): string {
  return `[zhengyun:${id}]`;
}

export function policyName(id: ControlId): string {
  return `zhengyun-${id}`;
}

export function bindingName(id: ControlId, level: Level): string {
  return `zhengyun-${id}-l${level}`;
}

export function paramsName(id: ControlId, level: Level): string {
  return `zhengyun-${id}-l${level}`;
}

/** A bilingual refusal message naming the control: "[zhengyun:<id>] 中文 / English". */
export function refusalMessage(id: ControlId, message: Bilingual): string {
  return `${refusalTag(id)} ${message.zh} / ${message.en}`;
}

/** CEL string literal (single-quoted, escaped). */
export function celString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

export interface VapRule {
  expression: string;
  message: Bilingual;
  /** CEL producing the detail appended to the message (e.g. the offending images). */
  detail?: string;
}

export interface VapControl {
  id: ControlId;
  resourceRules: RuleWithOperations[];
  variables: NamedExpression[];
  matchConditions: NamedExpression[];
  rules: VapRule[];
}

/** Per-level parameters, carried by a ConfigMap the binding references. */
export interface VapLevel {
  level: Level;
  params?: Record<string, string>;
}

function validation(id: ControlId, rule: VapRule): Validation {
  const message = refusalMessage(id, rule.message);
  const out: Validation = { expression: rule.expression, message, reason: "Forbidden" };
  if (rule.detail !== undefined) out.messageExpression = `${celString(`${message}: `)} + (${rule.detail})`;
  return out;
}

export function compilePolicy(control: VapControl, hasParams: boolean): ValidatingAdmissionPolicyObject {
  const spec: ValidatingAdmissionPolicyObject["spec"] = {
    failurePolicy: "Fail",
    matchConstraints: {
      matchPolicy: "Equivalent",
      namespaceSelector: {},
      objectSelector: {},
      resourceRules: control.resourceRules,
    },
    validations: control.rules.map((rule) => validation(control.id, rule)),
  };
  if (hasParams) spec.paramKind = { apiVersion: "v1", kind: "ConfigMap" };
  if (control.matchConditions.length > 0) spec.matchConditions = control.matchConditions;
  if (control.variables.length > 0) spec.variables = control.variables;
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: meta(policyName(control.id), control.id),
    spec,
  };
}

/**
 * One binding per level: it selects namespaces carrying that level and no
 * exemption label for this control, and denies on failure.
 */
export function compileBinding(id: ControlId, level: VapLevel): ValidatingAdmissionPolicyBindingObject {
  const spec: ValidatingAdmissionPolicyBindingObject["spec"] = {
    policyName: policyName(id),
    validationActions: ["Deny"],
    matchResources: {
      matchPolicy: "Equivalent",
      objectSelector: {},
      namespaceSelector: {
        matchExpressions: [
          { key: LEVEL_LABEL, operator: "In", values: [String(level.level)] },
          { key: exemptionLabel(id), operator: "DoesNotExist" },
        ],
      },
    },
  };
  if (level.params !== undefined) {
    spec.paramRef = { name: paramsName(id, level.level), namespace: SYSTEM_NAMESPACE, parameterNotFoundAction: "Deny" };
  }
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: meta(bindingName(id, level.level), id, undefined, { [LEVEL_LABEL]: String(level.level) }),
    spec,
  };
}

export function compileParams(id: ControlId, level: Level, data: Record<string, string>): ConfigMapObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(paramsName(id, level), id, SYSTEM_NAMESPACE, { [LEVEL_LABEL]: String(level) }),
    data,
  };
}

/** Parameter objects, the policy and its bindings, in apply order. */
export function compileVapControl(control: VapControl, levels: readonly VapLevel[]): KubeObject[] {
  const hasParams = levels.some((l) => l.params !== undefined);
  if (hasParams && levels.some((l) => l.params === undefined)) {
    throw new Error(`control ${control.id}: either every level has parameters or none does`);
  }
  if (levels.length === 0) return [];
  const params = levels.flatMap((l) => (l.params ? [compileParams(control.id, l.level, l.params)] : []));
  return [...params, compilePolicy(control, hasParams), ...levels.map((l) => compileBinding(control.id, l))];
}
