import { Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../api/trpc.js";
import { QuantityList } from "./QuantityList.js";
import { PhaseTag } from "./tags.js";

type System = RouterOutputs["systems"]["get"];
/** What a release took back, as recorded on the request when its grant was applied. */
type Recorded = NonNullable<RouterOutputs["requests"]["get"]["grantBefore"]>;

/**
 * The namespace, grant and segments a system gives back (what a release request is about). Once the
 * release is applied the system holds nothing, so `recorded` shows what it held just before.
 */
export function GivenBack({ system, grant, recorded = null }: { system: System; grant: System["granted"]; recorded?: Recorded | null }) {
  const { t } = useTranslation();
  const segments = recorded ? recorded.segments : system.segments.map((s) => s.cidr);
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
      <Descriptions.Item label={recorded ? t("release.returned") : t("requests.currentGrant")}>
        <QuantityList value={recorded ? recorded.resources : grant} />
      </Descriptions.Item>
      <Descriptions.Item label={t("release.segments")}>
        {segments.length === 0
          ? t("common.none")
          : segments.map((cidr) => (
              <Tag key={cidr} data-cidr={cidr}>
                {cidr}
              </Tag>
            ))}
      </Descriptions.Item>
    </Descriptions>
  );
}
