import { Card, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { CheckAnchorButton } from "./CheckAnchor.js";
import { TakeAnchorButton } from "./TakeAnchor.js";

/**
 * External anchors, under the chain's verification: the chain cannot reveal entries removed from
 * its end, an anchor kept outside the system can.
 */
export function AnchorBar() {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <div style={{ flex: "1 1 560px", minWidth: 0 }}>
          <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
            {t("audit.anchor.title")}
          </Typography.Title>
          <Typography.Text type="secondary">{t("audit.anchor.intro")}</Typography.Text>
        </div>
        <Flex gap={8} wrap>
          <TakeAnchorButton />
          <CheckAnchorButton />
        </Flex>
      </Flex>
    </Card>
  );
}
