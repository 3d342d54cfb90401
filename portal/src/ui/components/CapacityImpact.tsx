import { useQuery } from "@tanstack/react-query";
import { Flex, Progress, Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../api/trpc.js";
import { formatNumber } from "../lib/format.js";
import { impactLines } from "../lib/impact.js";
import { percentOf, type Quantities } from "../lib/resources.js";

interface CapacityImpactProps {
  request: { id: string; kind: "new" | "change" | "release"; target: Quantities; department: { ceiling: Quantities; held: Quantities } };
}

/** Per resource: growth, the department's held amount before and after, and its ceiling. */
export function CapacityImpact({ request }: CapacityImpactProps) {
  const { t } = useTranslation();
  // A new request's system holds nothing yet; a change grows from what the system holds now.
  const detail = useQuery({ ...trpc.requests.get.queryOptions({ id: request.id }), enabled: request.kind !== "new" });
  if (request.kind !== "new" && detail.isPending) return <Skeleton active paragraph={{ rows: 2 }} title={false} />;
  const current = request.kind === "new" ? {} : (detail.data?.currentGrant ?? {});
  const lines = impactLines(request.target, current, request.department);
  const over = lines.some((l) => l.over);
  return (
    <Flex vertical gap={2} style={{ minWidth: 240 }} data-testid="capacity-impact">
      <div>
        <Tag color={over ? "error" : "success"}>
          {t(over ? "approval.impactOver" : request.kind === "release" ? "release.impactFrees" : "approval.impactOk")}
        </Tag>
      </div>
      {lines.map((l) => (
        <div key={l.resource}>
          <Flex justify="space-between" gap={8} style={{ fontSize: 12 }}>
            <Typography.Text style={{ fontSize: 12 }}>
              {t(`resource.${l.resource}`)} {l.growth > 0 ? "+" : ""}
              {formatNumber(l.growth)}
            </Typography.Text>
            <Typography.Text type={l.over ? "danger" : "secondary"} style={{ fontSize: 12 }}>
              {t("approval.impactLine", { held: formatNumber(l.held), after: formatNumber(l.after), ceiling: formatNumber(l.ceiling) })}
            </Typography.Text>
          </Flex>
          <Progress
            size="small"
            showInfo={false}
            percent={Math.min(100, percentOf(l.after, l.ceiling))}
            success={{ percent: Math.min(100, percentOf(l.held, l.ceiling)) }}
            status={l.over ? "exception" : "normal"}
            aria-label={`${t(`resource.${l.resource}`)} ${l.after} / ${l.ceiling}`}
          />
        </div>
      ))}
    </Flex>
  );
}
