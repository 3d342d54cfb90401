/** ECharts options built from API data; pure, so they are easy to check. */

export interface Bar {
  label: string;
  value: number;
}

export interface QuotaRow {
  label: string;
  unit: string;
  limit: number;
  held: number;
  used: number;
}

export interface QuotaLabels {
  held: string;
  used: string;
  limit: string;
  axis: string;
}

const pct = (v: number, limit: number) => (limit > 0 ? Math.round((v / limit) * 1000) / 10 : v > 0 ? 100 : 0);

/**
 * Granted and used per resource as a share of its limit (ceiling or cluster capacity), so that
 * cores and gibibytes fit one axis; the tooltip gives the amounts.
 */
export function quotaOption(rows: QuotaRow[], labels: QuotaLabels) {
  const max = Math.max(100, ...rows.map((r) => pct(r.held, r.limit)), ...rows.map((r) => pct(r.used, r.limit)));
  return {
    aria: { enabled: true },
    color: ["#5470c6", "#91cc75"],
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: { dataIndex: number }[]) => {
        const row = rows[params[0]?.dataIndex ?? 0];
        if (!row) return "";
        const unit = row.unit ? ` ${row.unit}` : "";
        return [
          `<b>${row.label}</b>`,
          `${labels.limit}: ${row.limit.toLocaleString()}${unit}`,
          `${labels.held}: ${row.held.toLocaleString()}${unit} (${pct(row.held, row.limit)}%)`,
          `${labels.used}: ${row.used.toLocaleString()}${unit} (${pct(row.used, row.limit)}%)`,
        ].join("<br/>");
      },
    },
    legend: { top: 0, data: [labels.held, labels.used] },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0 } },
    yAxis: { type: "value", name: labels.axis, max: Math.ceil(max / 10) * 10, axisLabel: { formatter: "{value}%" } },
    series: [
      {
        name: labels.held,
        type: "bar",
        barMaxWidth: 28,
        data: rows.map((r) => pct(r.held, r.limit)),
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#cf1322", type: "dashed" },
          label: { formatter: labels.limit, position: "insideEndTop" },
          data: [{ yAxis: 100 }],
        },
      },
      { name: labels.used, type: "bar", barMaxWidth: 28, data: rows.map((r) => pct(r.used, r.limit)) },
    ],
  };
}

/** A ring of counts per category (e.g. requests per state), largest first. */
export function countsOption(bars: Bar[], colors?: Record<string, string>) {
  const data = bars.filter((b) => b.value > 0).sort((a, b) => b.value - a.value);
  return {
    aria: { enabled: true },
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
    series: [
      {
        type: "pie",
        radius: ["45%", "72%"],
        center: ["38%", "50%"],
        label: { show: false },
        data: data.map((b) => ({ name: b.label, value: b.value, ...(colors?.[b.label] ? { itemStyle: { color: colors[b.label] } } : {}) })),
      },
    ],
  };
}

/** Horizontal bars of average scores (1–5), red for low, green for high. */
export function scoresOption(bars: (Bar & { count: number })[], labels: { average: string; count: string }) {
  const sorted = [...bars].sort((a, b) => a.value - b.value);
  const color = (v: number) => (v <= 2 ? "#cf1322" : v < 3.5 ? "#faad14" : "#389e0d");
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: { dataIndex: number }[]) => {
        const bar = sorted[params[0]?.dataIndex ?? 0];
        return bar ? `<b>${bar.label}</b><br/>${labels.average}: ${bar.value}<br/>${labels.count}: ${bar.count}` : "";
      },
    },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 5, interval: 1 },
    // Lowest first, at the top.
    yAxis: { type: "category", inverse: true, data: sorted.map((b) => b.label) },
    series: [
      {
        type: "bar",
        barMaxWidth: 22,
        label: { show: true, position: "right" },
        data: sorted.map((b) => ({ value: b.value, itemStyle: { color: color(b.value) } })),
      },
    ],
  };
}

export interface UsagePoint {
  at: Date | string | number;
  used: number;
  granted: number;
}

/** Used against granted over time: two lines, the grant stepped, the gap between them is idle capacity. */
export function usageOption(points: UsagePoint[], labels: { used: string; granted: string; unit: string }) {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    aria: { enabled: true },
    color: ["#5470c6", "#91cc75"],
    tooltip: { trigger: "axis", valueFormatter: (v: number) => `${round(v).toLocaleString()} ${labels.unit}`.trim() },
    legend: { top: 0, data: [labels.granted, labels.used] },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: labels.unit, min: 0 },
    series: [
      { name: labels.granted, type: "line", step: "end", showSymbol: false, data: points.map((p) => [new Date(p.at).getTime(), round(p.granted)]) },
      { name: labels.used, type: "line", showSymbol: false, areaStyle: { opacity: 0.25 }, data: points.map((p) => [new Date(p.at).getTime(), round(p.used)]) },
    ],
  };
}
