import { Descriptions, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { QuantityList } from "../../../components/QuantityList.js";
import { LevelTag, ZoneTag } from "../../../components/tags.js";
import { formatDate } from "../../../lib/format.js";
import type { Zone } from "../../../lib/policy.js";
import type { Quantities } from "../../../lib/resources.js";
import type { WizardValues } from "./model.js";

interface ReviewStepProps {
  values: WizardValues;
  system: { name: string; level: number; zone: Zone };
  kind: "new" | "change";
  target: Quantities;
  egress: { host: string; port: number }[];
}

export function ReviewStep({ values, system, kind, target, egress }: ReviewStepProps) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t("wizard.reviewTitle")}
      </Typography.Title>
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 160 } }}>
        <Descriptions.Item label={t("wizard.system")}>
          <Space>
            {system.name}
            <LevelTag level={system.level} />
            <ZoneTag zone={system.zone} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t("requests.kind")}>{t(`kind.${kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t("requests.target")}>
          <QuantityList value={target} />
        </Descriptions.Item>
        <Descriptions.Item label={t("wizard.segment")}>{values.segmentPrefix ? `/${values.segmentPrefix}` : t("wizard.segmentNone")}</Descriptions.Item>
        <Descriptions.Item label={t("wizard.egress")}>
          {egress.length === 0 ? t("wizard.noEgress") : egress.map((e) => <Tag key={`${e.host}:${e.port}`}>{`${e.host}:${e.port}`}</Tag>)}
        </Descriptions.Item>
        <Descriptions.Item label={t("wizard.expiry")}>{values.expiresAt ? formatDate(values.expiresAt.toDate()) : t("wizard.noExpiry")}</Descriptions.Item>
        <Descriptions.Item label={t("wizard.justification")}>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{values.justification}</Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
    </>
  );
}
