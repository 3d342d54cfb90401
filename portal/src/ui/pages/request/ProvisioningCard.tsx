import { SyncOutlined } from "@ant-design/icons";
import { Alert, Descriptions, List, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../../api/trpc.js";
import { PhaseTag } from "../../components/tags.js";
import { formatDateTime } from "../../lib/format.js";

type Allocation = NonNullable<RouterOutputs["requests"]["get"]["allocation"]>;

/** Live progress while the controller provisions (or releases); the page polls every 2 s meanwhile. */
export function ProvisioningCard({ allocation, releasing }: { allocation: Allocation | null; releasing: boolean }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      icon={<SyncOutlined aria-hidden spin />}
      showIcon
      title={t(releasing ? "release.provisioningTitle" : "requests.provisioningTitle")}
      data-testid="provisioning"
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t(releasing ? "release.provisioningHint" : "requests.provisioningHint")}</Typography.Paragraph>
          {allocation && (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("requests.allocationPhase")}>
                <PhaseTag phase={allocation.phase} />
              </Descriptions.Item>
              {allocation.conditions.length > 0 && (
                <Descriptions.Item label={t("requests.conditions")}>
                  <List
                    size="small"
                    dataSource={allocation.conditions}
                    renderItem={(c) => (
                      <List.Item>
                        <Tag color={c.status === "True" ? "success" : c.status === "False" ? "error" : "default"}>{c.type}</Tag>
                        {c.reason} {c.message && <Typography.Text type="secondary">— {c.message}</Typography.Text>}{" "}
                        <Typography.Text type="secondary">{formatDateTime(c.lastTransitionTime)}</Typography.Text>
                      </List.Item>
                    )}
                  />
                </Descriptions.Item>
              )}
            </Descriptions>
          )}
        </>
      }
      style={{ marginBottom: 16 }}
    />
  );
}
