import { useQuery } from "@tanstack/react-query";
import { Card, Col, Progress, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../api/trpc.js";
import { formatCompact } from "../lib/format.js";
import { amountOf, percentOf, RESOURCES } from "../lib/resources.js";
import { ErrorAlert } from "./ErrorAlert.js";

/** Cluster capacity still free per resource, as ops weigh each approval against it. */
export function ClusterHeadroom() {
  const { t, i18n } = useTranslation();
  const capacity = useQuery(trpc.platform.capacity.queryOptions());
  if (capacity.error) return <ErrorAlert error={capacity.error} />;
  const data = capacity.data;
  return (
    <Card size="small" title={t("approval.clusterHeadroom")} loading={capacity.isPending} style={{ marginBottom: 20 }}>
      <Row gutter={[16, 12]}>
        {RESOURCES.map((r) => {
          const cap = amountOf(data?.capacity, r);
          const held = amountOf(data?.held, r);
          return (
            <Col key={r} flex="1 1 150px">
              <Statistic
                title={t(`resource.${r}`)}
                value={formatCompact(Math.max(0, cap - held), i18n.language)}
                suffix={t(`unit.${r}`)}
                styles={{ content: { fontSize: 18 } }}
              />
              <Progress percent={Math.min(100, percentOf(held, cap))} size="small" aria-label={`${t(`resource.${r}`)} ${percentOf(held, cap)}%`} />
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
