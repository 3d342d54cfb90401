import { Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../api/trpc.js";
import { QuantityList } from "./QuantityList.js";
import { PhaseTag } from "./tags.js";

type System = RouterOutputs["systems"]["get"];

/** The namespace, grant and segments a system gives back (what a release request is about). */
export function GivenBack({ system, grant }: { system: System; grant: System["granted"] }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={1} bordered styles={{ label: { width: 160 } }} data-testid="given-back">
      <Descriptions.Item label={t("systems.namespace")}>
        <Typography.Text code copyable>
          {system.namespace}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("systems.phase")}>
        <PhaseTag phase={system.phase} />
      </Descriptions.Item>
      <Descriptions.Item label={t("requests.currentGrant")}>
        <QuantityList value={grant} />
      </Descriptions.Item>
      <Descriptions.Item label={t("release.segments")}>
        {system.segments.length === 0
          ? t("common.none")
          : system.segments.map((s) => (
              <Tag key={s.cidr} data-cidr={s.cidr}>
                {s.cidr}
              </Tag>
            ))}
      </Descriptions.Item>
    </Descriptions>
  );
}
