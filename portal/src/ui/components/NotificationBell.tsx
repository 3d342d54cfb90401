import { BellOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { trpc } from "../api/trpc.js";

/** The header's bell: the unread count, polled; opens the notification centre. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const unread = useQuery({ ...trpc.notifications.unread.queryOptions(), refetchInterval: 30_000, refetchOnWindowFocus: true });
  const count = unread.data?.count ?? 0;
  return (
    <Button
      type="text"
      data-testid="notification-bell"
      aria-label={count > 0 ? t("notify.bellUnread", { count }) : t("notify.bell")}
      onClick={() => navigate("/notifications")}
      style={{ height: 40 }}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <BellOutlined aria-hidden style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );
}
