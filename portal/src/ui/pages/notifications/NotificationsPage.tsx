import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { NOTIFICATION_EVENTS, type NotificationEvent, renderNotification } from "@zhengyun/db/notifications/messages";
import { App, Badge, Button, Card, Checkbox, Empty, Flex, Form, Input, List, Segmented, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useErrorText } from "../../components/useErrorText.js";
import { formatDateTime } from "../../lib/format.js";

type Item = RouterOutputs["notifications"]["list"]["items"][number];
type Filter = "all" | "unread" | "read";

/** 通知中心: the caller's notifications (filter, mark read, mark all read) and their preferences. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>("all");
  const [limit, setLimit] = useState(50);
  const list = useQuery(trpc.notifications.list.queryOptions({ filter, limit }));
  const lang = i18n.language === "en" ? "en" : "zh";
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const onError = (err: Parameters<typeof errorText>[0]) => {
    const { title, detail } = errorText(err);
    modal.error({ title, content: detail });
  };
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh, onError }));
  const markAll = useMutation(
    trpc.notifications.markAllRead.mutationOptions({
      onSuccess: async (r) => {
        message.success(t("notify.markedAll", { count: r.read }));
        await refresh();
      },
      onError,
    }),
  );
  const items = list.data?.items ?? [];
  const open = (item: Item) => {
    if (!item.readAt) markRead.mutate({ ids: [item.id] });
    navigate(item.link);
  };
  return (
    <>
      <PageHeader
        title={t("notify.title")}
        intro={t("notify.intro")}
        extra={
          <Button onClick={() => markAll.mutate()} loading={markAll.isPending} disabled={(list.data?.unread ?? 0) === 0} data-testid="mark-all-read">
            {t("notify.markAllRead")}
          </Button>
        }
      />
      <Segmented<Filter>
        value={filter}
        onChange={(v) => {
          setFilter(v);
          setLimit(50);
        }}
        options={[
          { value: "all", label: t("notify.all") },
          { value: "unread", label: `${t("notify.unread")} (${list.data?.unread ?? 0})` },
          { value: "read", label: t("notify.read") },
        ]}
        style={{ marginBottom: 16 }}
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Card styles={{ body: { padding: "0 16px" } }}>
        <List<Item>
          loading={list.isPending}
          dataSource={items}
          locale={{ emptyText: <Empty description={t("notify.empty")} /> }}
          renderItem={(item) => {
            const text = renderNotification(item.event, item.params, lang);
            return (
              <List.Item
                data-testid="notification-item"
                data-unread={item.readAt ? "false" : "true"}
                actions={[
                  <Button key="open" type="link" onClick={() => open(item)}>
                    {t("notify.open")}
                  </Button>,
                  ...(item.readAt
                    ? []
                    : [
                        <Button key="read" size="small" onClick={() => markRead.mutate({ ids: [item.id] })}>
                          {t("notify.markRead")}
                        </Button>,
                      ]),
                ]}
              >
                <List.Item.Meta
                  avatar={<Badge status={item.readAt ? "default" : "processing"} />}
                  title={
                    <Space size={8} wrap>
                      <Typography.Text strong={!item.readAt}>{text.title}</Typography.Text>
                      <Tag>{t(`notify.event.${item.event}`)}</Tag>
                      {!item.readAt && <Tag color="blue">{t("notify.unreadTag")}</Tag>}
                    </Space>
                  }
                  description={
                    <Flex vertical gap={2}>
                      <Typography.Text type="secondary">{text.body}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(item.createdAt)}
                      </Typography.Text>
                    </Flex>
                  }
                />
              </List.Item>
            );
          }}
        />
      </Card>
      {items.length >= limit && limit < 200 && (
        <Button style={{ marginTop: 16 }} onClick={() => setLimit(Math.min(200, limit + 50))}>
          {t("notify.loadMore")}
        </Button>
      )}
      <Preferences />
    </>
  );
}

interface PrefForm {
  email: string;
  events: Record<NotificationEvent, { portal: boolean; email: boolean }>;
}

function Preferences() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const prefs = useQuery(trpc.notifications.preferences.queryOptions());
  const [form] = Form.useForm<PrefForm>();
  useEffect(() => {
    if (!prefs.data) return;
    form.setFieldsValue({
      email: prefs.data.email ?? "",
      events: Object.fromEntries(prefs.data.events.map((e) => [e.event, { portal: e.portal, email: e.email }])) as PrefForm["events"],
    });
  }, [prefs.data, form]);
  const save = useMutation(
    trpc.notifications.setPreferences.mutationOptions({
      onSuccess: async () => {
        message.success(t("notify.saved"));
        await queryClient.invalidateQueries({ queryKey: trpc.notifications.preferences.queryKey() });
      },
      onError: (err) => {
        const { title, detail } = errorText(err);
        modal.error({ title, content: detail });
      },
    }),
  );
  const submit = (v: PrefForm) =>
    save.mutate({
      email: v.email.trim() === "" ? null : v.email.trim(),
      events: NOTIFICATION_EVENTS.map((event) => ({ event, portal: v.events?.[event]?.portal ?? true, email: v.events?.[event]?.email ?? true })),
    });
  return (
    <Card title={t("notify.preferences")} style={{ marginTop: 24 }} data-testid="notification-preferences">
      <Typography.Paragraph type="secondary">{t("notify.preferencesIntro")}</Typography.Paragraph>
      {prefs.error && <ErrorAlert error={prefs.error} onRetry={() => void prefs.refetch()} />}
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 720 }}>
        <Form.Item name="email" label={t("notify.email")} rules={[{ type: "email", message: t("notify.emailInvalid") }]}>
          <Input placeholder={t("notify.emailPlaceholder")} autoComplete="email" />
        </Form.Item>
        <Table
          rowKey="event"
          size="small"
          pagination={false}
          loading={prefs.isPending}
          dataSource={NOTIFICATION_EVENTS.map((event) => ({ event }))}
          columns={[
            { title: t("notify.eventColumn"), dataIndex: "event", render: (e: NotificationEvent) => t(`notify.event.${e}`) },
            {
              title: t("notify.channelPortal"),
              key: "portal",
              width: 100,
              render: (_: unknown, row: { event: NotificationEvent }) => (
                <Form.Item name={["events", row.event, "portal"]} valuePropName="checked" noStyle>
                  <Checkbox aria-label={`${t(`notify.event.${row.event}`)} ${t("notify.channelPortal")}`} />
                </Form.Item>
              ),
            },
            {
              title: t("notify.channelEmail"),
              key: "email",
              width: 100,
              render: (_: unknown, row: { event: NotificationEvent }) => (
                <Form.Item name={["events", row.event, "email"]} valuePropName="checked" noStyle>
                  <Checkbox aria-label={`${t(`notify.event.${row.event}`)} ${t("notify.channelEmail")}`} />
                </Form.Item>
              ),
            },
          ]}
        />
        <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }}>
          {t("notify.save")}
        </Button>
      </Form>
    </Card>
  );
}
