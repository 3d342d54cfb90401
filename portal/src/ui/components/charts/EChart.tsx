import { BarChart, LineChart, PieChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import EChartsReactCore from "echarts-for-react/esm/core.js";
import { useMemo, useState } from "react";
import { interopDefault } from "../../lib/interop.js";

// Only what the portal draws: bars, rings and lines over time, with axes, legend, tooltip and a limit line.
echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

const ReactEChartsCore = interopDefault(EChartsReactCore);

export interface EChartProps {
  option: object;
  height: number;
  label: string;
}

/**
 * Loaded lazily (see Chart.tsx) so ECharts is fetched only by pages that draw. `data-drawn` turns
 * true once ECharts reports the chart finished (its animation included), which is what a picture of
 * the page waits for.
 */
export default function EChart({ option, height, label }: EChartProps) {
  const [drawn, setDrawn] = useState(false);
  const onEvents = useMemo(() => ({ finished: () => setDrawn(true) }), []);
  return (
    <div role="img" aria-label={label} data-chart="" data-drawn={drawn}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate onEvents={onEvents} style={{ height, width: "100%" }} />
    </div>
  );
}
