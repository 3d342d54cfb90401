import { Alert, Card, Flex, Progress, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../lib/format.js";
import { amountOf, overruns, percentOf, type Quantities, RESOURCES } from "../../../lib/resources.js";

interface HeadroomPanelProps {
  ceiling: Quantities;
  held: Quantities;
  target: Quantities;
  current: Quantities;
}

/** Ceiling, held and this request's growth per resource, updated as the form changes. */
export function HeadroomPanel({ ceiling, held, target, current }: HeadroomPanelProps) {
  const { t } = useTranslation();
  const over = overruns(ceiling, held, target, current);
  const shown = RESOURCES.filter((r) => amountOf(ceiling, r) > 0 || amountOf(target, r) > 0);
  return (
    <Card title={t("wizard.headroomTitle")} size="small" aria-live="polite" data-testid="headroom">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t("wizard.headroomHint")}
      </Typography.Paragraph>
      {over.length > 0 && <Alert type="error" showIcon title={t("wizard.overHeadroom")} style={{ marginBottom: 12 }} />}
      <Flex vertical gap={10}>
        {shown.map((r) => {
          const limit = amountOf(ceiling, r);
          const grow = Math.max(0, amountOf(target, r) - amountOf(current, r));
          const after = amountOf(held, r) + grow;
          const isOver = over.some((o) => o.resource === r);
          const unit = t(`unit.${r}`);
          return (
            <div key={r} data-resource={r}>
              <Flex justify="space-between" style={{ fontSize: 13 }}>
                <Typography.Text strong>{t(`resource.${r}`)}</Typography.Text>
                <Typography.Text type={isOver ? "danger" : "secondary"}>
                  {t("quota.remaining")} {formatNumber(Math.max(0, limit - amountOf(held, r)))} {unit}
                </Typography.Text>
              </Flex>
              <Progress
                percent={Math.min(100, percentOf(after, limit))}
                success={{ percent: Math.min(100, percentOf(amountOf(held, r), limit)) }}
                status={isOver ? "exception" : "normal"}
                size="small"
                showInfo={false}
                aria-label={`${t(`resource.${r}`)} ${formatNumber(after)} / ${formatNumber(limit)}`}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("wizard.thisRequest")} +{formatNumber(grow)} · {t("wizard.after")} {formatNumber(after)} / {formatNumber(limit)} {unit}
              </Typography.Text>
            </div>
          );
        })}
      </Flex>
    </Card>
  );
}
