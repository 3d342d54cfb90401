import { BarChart, LineChart, PieChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import EChartsReactCore from "echarts-for-react/esm/core.js";
import { interopDefault } from "../../lib/interop.js";

// Only what the portal draws: bars, rings and lines over time, with axes, legend, tooltip and a limit line.
echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

const ReactEChartsCore = interopDefault(EChartsReactCore);

export interface EChartProps {
  option: object;
  height: number;
  label: string;
}

/** Loaded lazily (see Chart.tsx) so ECharts is fetched only by pages that draw. */
export default function EChart({ option, height, label }: EChartProps) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate style={{ height, width: "100%" }} />
    </div>
  );
}
