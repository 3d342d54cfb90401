/**
 * The MLPS control catalog as the portal presents it: per protection level, which controls apply,
 * what each demands there, how the cluster enforces it and whether it may be exempted. The
 * catalog itself lives in @zhengyun/policies; this only reshapes it for display.
 */
import {
  type Bilingual,
  CONTROLS,
  type Control,
  type ControlId,
  FAMILIES,
  type FamilyId,
  internetEgress,
  isControlId,
  isLevel,
  LEVELS,
  type Level,
  MECHANISMS,
  type Mechanism,
  type Zone,
  type ZoneEgressParams,
} from "@zhengyun/policies/definitions";

export type ParameterValue = string | number | boolean | string[];

export interface CatalogParameter {
  /** The parameter's name; nested parameters are joined with dots ("maxPerContainer.cpu"). */
  name: string;
  value: ParameterValue;
}

export interface CatalogLevel {
  level: Level;
  summary: Bilingual;
  parameters: CatalogParameter[];
}

export interface CatalogControl {
  id: ControlId;
  title: Bilingual;
  family: FamilyId;
  requirement: Bilingual;
  mechanisms: Mechanism[];
  exemptible: boolean;
  /** Only the levels at which the control applies, ascending. */
  levels: CatalogLevel[];
}

export interface PolicyCatalog {
  levels: Level[];
  /** The zone the parameters were resolved for, or null for the zone-independent catalog. */
  zone: Zone | null;
  families: { id: FamilyId; title: Bilingual }[];
  mechanisms: { id: Mechanism; title: Bilingual }[];
  controls: CatalogControl[];
}

function readable(value: unknown): ParameterValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((v) => String(v));
  return JSON.stringify(value);
}

/** Parameters as name/value pairs, nested objects flattened, so every value reads as text. */
export function flattenParameters(params: Readonly<Record<string, unknown>>, prefix = ""): CatalogParameter[] {
  return Object.entries(params).flatMap(([key, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? flattenParameters(value as Record<string, unknown>, `${prefix}${key}.`)
      : [{ name: `${prefix}${key}`, value: readable(value) }],
  );
}

/**
 * A control's parameters at a level, as they take effect in `zone`. Zone isolation is the one
 * control whose effect depends on the zone: the internal zone never reaches the internet.
 */
function parametersIn(control: Control, level: Level, zone: Zone | null): Readonly<Record<string, unknown>> {
  const params = control.parameters(level) ?? {};
  if (zone === null || control.id !== "zone-egress") return params;
  return { ...params, internet: internetEgress(zone, params as unknown as ZoneEgressParams) };
}

function levelEntry(control: Control, level: Level, zone: Zone | null): CatalogLevel | [] {
  const summary = control.summary(level);
  if (!control.appliesAt(level) || !summary) return [];
  return { level, summary, parameters: flattenParameters(parametersIn(control, level, zone)) };
}

export function policyCatalog(input: { zone?: Zone | undefined } = {}): PolicyCatalog {
  const zone = input.zone ?? null;
  return {
    levels: [...LEVELS],
    zone,
    families: (Object.keys(FAMILIES) as FamilyId[]).map((id) => ({ id, title: FAMILIES[id] })),
    mechanisms: (Object.keys(MECHANISMS) as Mechanism[]).map((id) => ({ id, title: MECHANISMS[id] })),
    controls: CONTROLS.map((control) => ({
      id: control.id,
      title: control.title,
      family: control.family,
      requirement: control.requirement,
      mechanisms: [...control.mechanisms],
      exemptible: control.exemptible,
      levels: LEVELS.flatMap((level) => levelEntry(control, level, zone)),
    })),
  };
}

/**
 * Why `controlId` cannot be exempted for a system at `level`, or null when it can: the catalog must
 * have the control, mark it exemptible, and apply it at that level.
 */
export function exemptionRefusal(controlId: string, level: number): string | null {
  if (!isControlId(controlId)) return `控制项目录中没有“${controlId}” / the control catalog has no control “${controlId}”`;
  const control = CONTROLS.find((c) => c.id === controlId);
  if (!control?.exemptible) return `控制项“${controlId}”不允许豁免 / control “${controlId}” cannot be exempted`;
  if (!isLevel(level) || !control.appliesAt(level))
    return `控制项“${controlId}”不适用于等保${level}级系统，无需豁免 / control “${controlId}” does not apply at level ${level}, so there is nothing to exempt`;
  return null;
}
