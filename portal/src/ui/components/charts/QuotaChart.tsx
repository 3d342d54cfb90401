import { useTranslation } from "react-i18next";
import { amountOf, type Quantities, RESOURCES } from "../../lib/resources.js";
import { Chart } from "./Chart.js";
import { quotaOption } from "./options.js";

interface QuotaChartProps {
  limit: Quantities;
  held: Quantities;
  used: Quantities;
  /** What the limit is: a department's ceiling or the cluster's capacity. */
  limitLabel: string;
  height?: number;
}

/** Granted and used against the limit, per resource. */
export function QuotaChart({ limit, held, used, limitLabel, height = 300 }: QuotaChartProps) {
  const { t } = useTranslation();
  const rows = RESOURCES.map((r) => ({
    label: t(`resource.${r}`),
    unit: t(`unit.${r}`),
    limit: amountOf(limit, r),
    held: amountOf(held, r),
    used: amountOf(used, r),
  }));
  const option = quotaOption(rows, { held: t("quota.held"), used: t("quota.used"), limit: limitLabel, axis: t("quota.percentOf") });
  return <Chart option={option} height={height} label={`${t("quota.chartTitle")}: ${rows.map((r) => `${r.label} ${r.held}/${r.limit}`).join(", ")}`} />;
}
