import { describe, expect, it } from "vitest";
import { z } from "zod";
import { list as allocationsList } from "./allocations/index.js";
import { checked, outputSchema } from "./outputs.js";
import { get } from "./requests/get.js";
import { list } from "./requests/list.js";
import { queue } from "./requests/queue.js";

const row = {
  id: "3978cb84-c080-4a47-be96-b0b3f585017f",
  number: 28,
  kind: "change",
  state: "dept_approved",
  systemId: "61e1be2b-71ad-4d9b-99bd-f74280b283d3",
  systemName: "内部协同办公系统",
  level: 2,
  zone: "internal",
  graded: true,
  departmentId: "f08dc577-3408-4b28-802d-47d4df01ce2a",
  departmentName: "扬州市发展和改革委员会",
  requesterName: "FGW 经办人",
  justification: "业务量增长扩容",
  createdAt: new Date("2026-12-03T17:01:25Z"),
  updatedAt: new Date("2026-12-03T17:01:45Z"),
  submittedAt: null,
  target: { vcpu: 4, memory_gib: 8 },
  department: { ceiling: { vcpu: 100 }, held: { vcpu: 40 } },
};

/** The parser tRPC runs on a procedure's result. */
const parserOf = (procedure: unknown) => (procedure as { _def: { output: (value: unknown) => unknown } })._def.output;

describe("checked outputs", () => {
  it("pass a well-formed row through as the schema's parse would", () => {
    const schema = z.array(z.object({ id: z.uuid(), at: z.date() }));
    const rows = [{ id: row.id, at: row.createdAt }];
    expect(checked(schema)(rows)).toEqual(schema.parse(rows));
    expect(parserOf(queue)([row])).toEqual([row]);
  });

  it("refuse a malformed row of the approval queue, as the schema does", () => {
    const queueParser = parserOf(queue);
    const malformed: Record<string, unknown>[] = [
      { ...row, id: "not-a-uuid" },
      { ...row, createdAt: "2026-12-03T17:01:25Z" },
      { ...row, state: "unknown" },
      { ...row, target: { vcpu: "4" } },
      { ...row, department: { ceiling: { vcpu: 100 } } },
      (({ number: _, ...rest }) => rest)(row),
    ];
    for (const bad of malformed) {
      expect(() => queueParser([row, bad])).toThrow(z.ZodError);
      expect(outputSchema(queueParser)).toBeInstanceOf(z.ZodType);
      expect((outputSchema(queueParser) as z.ZodType).safeParse([row, bad]).success).toBe(false);
    }
  });

  it("refuse malformed rows of the request list, a request and the allocations page", () => {
    expect(() => parserOf(list)([{ ...row, kind: "grow" }])).toThrow(z.ZodError);
    expect(() => parserOf(get)({ ...row, transitions: [] })).toThrow(z.ZodError);
    expect(() => parserOf(allocationsList)({ items: [{ systemId: row.systemId }], nextCursor: null })).toThrow(z.ZodError);
  });

  it("leave a plain schema as it is for the OpenAPI document", () => {
    const schema = z.object({ id: z.uuid() });
    expect(outputSchema(schema)).toBe(schema);
    expect(outputSchema(checked(schema))).toBe(schema);
  });
});
