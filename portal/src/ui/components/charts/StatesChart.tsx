import { useTranslation } from "react-i18next";
import type { RequestState } from "../tags.js";
import { Chart } from "./Chart.js";
import { countsOption } from "./options.js";

const STATE_COLORS: Record<RequestState, string> = {
  draft: "#bfbfbf",
  submitted: "#1677ff",
  dept_approved: "#4096ff",
  ops_approved: "#722ed1",
  security_approved: "#9254de",
  provisioning: "#13c2c2",
  active: "#52c41a",
  failed: "#ff4d4f",
  rejected: "#cf1322",
  withdrawn: "#8c8c8c",
  expired: "#faad14",
};

/** How many requests are in each state. */
export function StatesChart({ states, height = 260 }: { states: RequestState[]; height?: number }) {
  const { t } = useTranslation();
  const counts = new Map<RequestState, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  const bars = [...counts].map(([s, value]) => ({ label: t(`state.${s}`), value }));
  const colors = Object.fromEntries([...counts.keys()].map((s) => [t(`state.${s}`), STATE_COLORS[s]]));
  return (
    <Chart
      option={countsOption(bars, colors)}
      height={height}
      label={`${t("requests.byStateChart")}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`}
    />
  );
}
