import { Skeleton } from "antd";
import { lazy, Suspense } from "react";
import type { EChartProps } from "./EChart.js";

const EChart = lazy(() => import("./EChart.js"));

/** An ECharts chart; the library loads with the first chart shown. */
export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: "100%", height: props.height }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
