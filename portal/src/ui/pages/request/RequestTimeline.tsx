import { Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../../api/trpc.js";
import type { RequestKind, RequestState } from "../../components/tags.js";
import { formatDateTime } from "../../lib/format.js";
import { eventKey } from "../../lib/wording.js";

type Transition = RouterOutputs["requests"]["get"]["transitions"][number];

const COLOR: Partial<Record<RequestState, string>> = {
  rejected: "red",
  failed: "red",
  withdrawn: "gray",
  active: "green",
  expired: "orange",
  provisioning: "cyan",
};

/** Every state change: what happened, who did it in which role, when, and their note. */
export function RequestTimeline({ transitions, kind }: { transitions: Transition[]; kind: RequestKind }) {
  const { t } = useTranslation();
  return (
    <Timeline
      items={transitions.map((tr, i) => ({
        key: i,
        color: COLOR[tr.to] ?? "blue",
        content: (
          <div data-testid="transition" data-to={tr.to}>
            <Typography.Text strong>{t(eventKey(tr.to, kind))}</Typography.Text>
            <Typography.Text type="secondary" style={{ float: "right", fontSize: 12 }}>
              {formatDateTime(tr.at)}
            </Typography.Text>
            <br />
            <Typography.Text type="secondary">
              {tr.actorName ? t("requests.by", { name: tr.actorName, role: tr.actorRole ? t(`role.${tr.actorRole}`) : "—" }) : t("requests.byPlatform")}
            </Typography.Text>
            {tr.note && (
              <Typography.Paragraph style={{ margin: "4px 0 0", whiteSpace: "pre-wrap" }}>{t("requests.note", { note: tr.note })}</Typography.Paragraph>
            )}
          </div>
        ),
      }))}
    />
  );
}
