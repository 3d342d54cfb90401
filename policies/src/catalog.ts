/**
 * The MLPS 2.0 (等级保护 2.0) control catalog: each control with its
 * definition (title, family, levels and parameters, mechanism, compiled
 * objects) and its good and bad fixtures. One folder per control under
 * `controls/<id>/`; the lists are generated from them (src/generate/catalog.ts).
 */
import { CATALOG, type CatalogEntry } from "./controls/catalog.generated.js";
import { CONTROLS } from "./controls/index.js";
import type { Control, ControlId } from "./model/control.js";

export { CATALOG, type CatalogEntry, CONTROLS };

export function controlById(id: ControlId): Control {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new Error(`unknown control ${id}`);
  return control;
}
