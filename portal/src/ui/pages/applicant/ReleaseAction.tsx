import { DeleteOutlined } from "@ant-design/icons";
import { Button, Flex, Tooltip, Typography } from "antd";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LinkButton } from "../../components/LinkButton.js";
import { releasePath } from "../../lib/nav.js";
import type { ReleaseBlock } from "../../lib/release.js";
import { stateKey } from "../../lib/wording.js";

/** Why a system's release cannot be requested now, in full (for tooltips and the release page). */
export function useBlockText() {
  const { t } = useTranslation();
  return (block: ReleaseBlock): string =>
    block.reason === "inFlight"
      ? t("release.blocked.inFlight", { number: block.request.number, state: t(stateKey(block.request.state, block.request.kind)) })
      : t(`release.blocked.${block.reason}`);
}

/**
 * "Request release" on a system's row: a link to its release page, or the same words disabled with
 * the reason beside them (and, for a request in flight, a link to it).
 */
export function ReleaseAction({ systemId, block }: { systemId: string; block: ReleaseBlock | null }) {
  const { t } = useTranslation();
  const blockText = useBlockText();
  const reasonId = useId();
  if (!block)
    return (
      <LinkButton to={releasePath(systemId)} type="link" danger size="small" icon={<DeleteOutlined aria-hidden />} style={{ paddingInline: 0 }}>
        {t("release.action")}
      </LinkButton>
    );
  return (
    <Flex vertical align="flex-start">
      <Tooltip title={blockText(block)}>
        <Button type="link" danger size="small" disabled icon={<DeleteOutlined aria-hidden />} aria-describedby={reasonId} style={{ paddingInline: 0 }}>
          {t("release.action")}
        </Button>
      </Tooltip>
      <Typography.Text type="secondary" id={reasonId} style={{ fontSize: 12 }} data-testid="release-blocked">
        {block.reason === "inFlight" ? (
          <Link to={`/requests/${block.request.id}`}>{t("release.blockedShort.inFlight", { number: block.request.number })}</Link>
        ) : (
          t(`release.blockedShort.${block.reason}`)
        )}
      </Typography.Text>
    </Flex>
  );
}
