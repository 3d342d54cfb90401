import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { EvidenceCounts as Counts, EvidenceStanding } from "../../lib/evidence.js";

const STANDING_COLOR: Record<EvidenceStanding, string> = { notInForce: "error", unreported: "default", exempted: "warning", enforced: "success" };

export function StandingTag({ standing }: { standing: EvidenceStanding }) {
  const { t } = useTranslation();
  return (
    <Tag color={STANDING_COLOR[standing]} data-standing={standing}>
      {t(`evidence.standing.${standing}`)}
    </Tag>
  );
}

export function EvidenceCounts({ counts }: { counts: Counts }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <span>{t("evidence.enforcedOf", { enforced: counts.enforced, total: counts.total })}</span>
      {counts.exempted > 0 && <Tag color="warning">{t("evidence.exemptedCount", { n: counts.exempted })}</Tag>}
      {counts.drifted > 0 && <Tag color="error">{t("evidence.driftedCount", { n: counts.drifted })}</Tag>}
    </Space>
  );
}

const CONTROL_COLOR = { enforced: "success", exempted: "warning", drifted: "error" } as const;

export function ControlStatusTag({ status }: { status: keyof typeof CONTROL_COLOR }) {
  const { t } = useTranslation();
  return <Tag color={CONTROL_COLOR[status]}>{t(`evidence.controlStatus.${status}`)}</Tag>;
}
