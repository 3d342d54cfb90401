/** Reading the policy catalog the server sends (policies.catalog): which control applies where. */
import type { RouterOutputs } from "../api/trpc.js";

export type PolicyCatalog = RouterOutputs["policies"]["catalog"];
export type CatalogControl = PolicyCatalog["controls"][number];
export type CatalogLevel = CatalogControl["levels"][number];
export type ParameterValue = CatalogLevel["parameters"][number]["value"];

export const CATALOG_LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof CATALOG_LEVELS)[number];

export function isLevel(value: unknown): value is Level {
  return typeof value === "number" && (CATALOG_LEVELS as readonly number[]).includes(value);
}

/** The control's requirement at `level`, or undefined where it does not apply. */
export function atLevel(control: CatalogControl, level: number): CatalogLevel | undefined {
  return control.levels.find((l) => l.level === level);
}

/** The controls that apply at `level`, in catalog order. */
export function controlsAt(catalog: PolicyCatalog, level: number): CatalogControl[] {
  return catalog.controls.filter((c) => atLevel(c, level) !== undefined);
}

/** What a security officer may exempt a system of `level` from: exemptible controls that apply there. */
export function exemptibleAt(catalog: PolicyCatalog, level: number): CatalogControl[] {
  return controlsAt(catalog, level).filter((c) => c.exemptible);
}

/** Whether the control demands something different at `level` than at the level below. */
export function changesAt(control: CatalogControl, level: number): boolean {
  const here = atLevel(control, level);
  const below = atLevel(control, level - 1);
  if (!here) return false;
  if (!below) return level > 1;
  return JSON.stringify(here.parameters) !== JSON.stringify(below.parameters);
}

/** A parameter value as text: lists joined, yes/no in the reader's words. */
export function parameterText(value: ParameterValue, words: { yes: string; no: string }): string {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? words.yes : words.no;
  return String(value);
}
