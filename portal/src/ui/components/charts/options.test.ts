import { describe, expect, it } from "vitest";
import { countsOption, quotaOption, scoresOption, usageOption } from "./options.js";

const labels = { held: "已分配", used: "已使用", limit: "上限", axis: "%" };

describe("chart options", () => {
  it("draws quota as a share of each limit with the amounts in the tooltip", () => {
    const option = quotaOption([{ label: "vCPU", unit: "核", limit: 200, held: 50, used: 10 }], labels);
    expect(option.series[0]?.data).toEqual([25]);
    expect(option.series[1]?.data).toEqual([5]);
    expect(option.yAxis.max).toBe(100);
    expect(option.tooltip.formatter([{ dataIndex: 0 }])).toContain("50 核 (25%)");
  });

  it("stretches the axis when a department is over its ceiling", () => {
    expect(quotaOption([{ label: "vCPU", unit: "", limit: 100, held: 130, used: 0 }], labels).yAxis.max).toBe(130);
  });

  it("leaves empty categories out of the ring, largest first", () => {
    const option = countsOption([
      { label: "a", value: 1 },
      { label: "b", value: 0 },
      { label: "c", value: 3 },
    ]);
    expect(option.series[0]?.data.map((d) => d.name)).toEqual(["c", "a"]);
  });

  it("colours low scores red and lists the lowest first", () => {
    const option = scoresOption(
      [
        { label: "x", value: 4.5, count: 2 },
        { label: "y", value: 1.5, count: 1 },
      ],
      { average: "avg", count: "n" },
    );
    expect(option.yAxis.data).toEqual(["y", "x"]);
    expect(option.series[0]?.data[0]?.itemStyle.color).toBe("#cf1322");
  });
});

describe("usage chart", () => {
  it("draws granted as a step line and used as an area, in time order as given", () => {
    const option = usageOption(
      [
        { at: "2026-12-01T00:00:00Z", used: 1.234, granted: 4 },
        { at: "2026-12-01T01:00:00Z", used: 2, granted: 8 },
      ],
      { used: "已使用", granted: "已分配", unit: "核" },
    );
    expect(option.legend.data).toEqual(["已分配", "已使用"]);
    expect(option.series[0]).toMatchObject({
      type: "line",
      step: "end",
      data: [
        [Date.UTC(2026, 11, 1), 4],
        [Date.UTC(2026, 11, 1, 1), 8],
      ],
    });
    expect(option.series[1]!.data).toEqual([
      [Date.UTC(2026, 11, 1), 1.23],
      [Date.UTC(2026, 11, 1, 1), 2],
    ]);
    expect(option.tooltip.valueFormatter(1.005)).toMatch(/^1(\.0+1?)? 核$/);
  });
});
