import type { FormInstance } from "antd";
import { describeError } from "../api/errors.js";

/**
 * Puts the server's field errors (error.data.fields) on the form's fields whose top-level name is
 * in `known`. Returns true when at least one did.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, known: readonly string[]): boolean {
  const { fields } = describeError(error);
  const matched = fields.filter((f) => known.includes(f.field.split(".")[0] ?? ""));
  if (matched.length === 0) return false;
  form.setFields(matched.map((f) => ({ name: namePath(f.field), errors: [f.message] })));
  return true;
}

/** "egress.0.host" → ["egress", 0, "host"]: list items are addressed by number in antd forms. */
export function namePath(field: string): (string | number)[] {
  return field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
