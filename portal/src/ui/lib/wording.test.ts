import { describe, expect, it } from "vitest";
import { en } from "../i18n/en.js";
import { zh } from "../i18n/zh.js";
import { eventKey, stateKey } from "./wording.js";

/** The message a dotted key names, as i18next would look it up. */
const lookup = (messages: object, key: string): unknown => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);

describe("words for a release", () => {
  it("says releasing and released where a grant would say provisioning and active", () => {
    expect(lookup(zh, stateKey("provisioning", "release"))).toBe("释放中");
    expect(lookup(zh, stateKey("active", "release"))).toBe("已释放");
    expect(lookup(en, eventKey("active", "release"))).toBe("Released, resources returned");
  });

  it("keeps the usual words for every other state and kind", () => {
    expect(stateKey("submitted", "release")).toBe("state.submitted");
    expect(stateKey("active", "new")).toBe("state.active");
    expect(eventKey("provisioning", "change")).toBe("event.provisioning");
    expect(eventKey("rejected", "release")).toBe("event.rejected");
  });

  it("names messages that exist in both languages", () => {
    for (const state of ["provisioning", "active", "submitted"] as const) {
      for (const key of [stateKey(state, "release"), eventKey(state, "release")]) {
        expect(typeof lookup(zh, key), key).toBe("string");
        expect(typeof lookup(en, key), key).toBe("string");
      }
    }
  });
});
