import { Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../lib/format.js";
import { AwaitingGradingTag } from "./tags.js";

export interface Grading {
  proposedLevel: number;
  proposedZone: "internal" | "external";
  level: number;
  zone: "internal" | "external";
  graded: boolean;
  gradedByName: string | null;
  gradedAt: Date | string | null;
  filingNumber: string | null;
}

/** A system's grading as it stands: the proposal, and once graded the confirmed level, who graded it, when, and the filing number. */
export function GradingSummary({ system }: { system: Grading }) {
  const { t } = useTranslation();
  // Until graded, the level and zone shown beside this are the department's proposal.
  if (!system.graded)
    return (
      <span data-testid="grading">
        <AwaitingGradingTag />
      </span>
    );
  const corrected = system.proposedLevel !== system.level || system.proposedZone !== system.zone;
  return (
    <Space orientation="vertical" size={2} data-testid="grading">
      <Space size={4}>
        <Tag color="success">{t("systems.gradedYes")}</Tag>
        {system.filingNumber && <Typography.Text type="secondary">{system.filingNumber}</Typography.Text>}
      </Space>
      {corrected && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("systems.proposedVsConfirmed", {
            proposed: `${t(`level.${String(system.proposedLevel) as "1"}`)} ${t(`zone.${system.proposedZone}`)}`,
            confirmed: `${t(`level.${String(system.level) as "1"}`)} ${t(`zone.${system.zone}`)}`,
          })}
        </Typography.Text>
      )}
      {system.gradedByName && system.gradedAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("systems.gradedBy", { name: system.gradedByName, at: formatDateTime(system.gradedAt) })}
        </Typography.Text>
      )}
    </Space>
  );
}
