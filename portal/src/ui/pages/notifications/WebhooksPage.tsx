import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { NOTIFICATION_EVENTS, type NotificationEvent, type WebhookFormat } from "@zhengyun/db/notifications/messages";
import { App, Button, Card, Checkbox, Empty, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useErrorText } from "../../components/useErrorText.js";
import { formatDateTime } from "../../lib/format.js";

type Webhook = RouterOutputs["notifications"]["webhooks"][number];
type Delivery = RouterOutputs["notifications"]["deliveries"][number];

interface HookForm {
  name: string;
  format: WebhookFormat;
  url?: string;
  secret?: string;
  events: NotificationEvent[];
  enabled: boolean;
}

const STATUS_COLOR: Record<Delivery["status"], string> = { pending: "warning", sent: "success", failed: "error", skipped: "default" };

/** 通知渠道: the department admin's webhooks (generic signed JSON, WeCom, DingTalk) and their delivery log. */
export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const hooks = useQuery(trpc.notifications.webhooks.queryOptions());
  const deliveries = useQuery({ ...trpc.notifications.deliveries.queryOptions({ limit: 100 }), refetchInterval: 30_000 });
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [form] = Form.useForm<HookForm>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const onError = (err: Parameters<typeof errorText>[0]) => {
    const { title, detail } = errorText(err);
    modal.error({ title, content: detail });
  };
  const save = useMutation(
    trpc.notifications.saveWebhook.mutationOptions({
      onSuccess: async () => {
        message.success(t("webhooks.saved"));
        setEditing(null);
        form.resetFields();
        await refresh();
      },
      onError,
    }),
  );
  const remove = useMutation(trpc.notifications.deleteWebhook.mutationOptions({ onSuccess: refresh, onError }));
  const formatLabel = (f: WebhookFormat) => t(f === "generic" ? "webhooks.formatGeneric" : f === "wecom" ? "webhooks.formatWecom" : "webhooks.formatDingtalk");
  const startEdit = (hook: Webhook | "new") => {
    setEditing(hook);
    form.setFieldsValue(
      hook === "new"
        ? { name: "", format: "wecom", url: "", secret: "", events: ["approval_waiting", "request_decided"], enabled: true }
        : { name: hook.name, format: hook.format, url: "", secret: "", events: hook.events, enabled: hook.enabled },
    );
  };
  const submit = (v: HookForm) =>
    save.mutate({
      ...(editing && editing !== "new" ? { id: editing.id } : {}),
      name: v.name,
      format: v.format,
      events: v.events,
      enabled: v.enabled,
      ...(v.url?.trim() ? { url: v.url.trim() } : {}),
      ...(v.secret?.trim() ? { secret: v.secret.trim() } : {}),
    });
  const isNew = editing === "new";
  return (
    <>
      <PageHeader
        title={t("webhooks.title")}
        intro={t("webhooks.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => startEdit("new")}>
            {t("webhooks.add")}
          </Button>
        }
      />
      {hooks.error && <ErrorAlert error={hooks.error} onRetry={() => void hooks.refetch()} />}
      <Table<Webhook>
        rowKey="id"
        loading={hooks.isPending}
        dataSource={hooks.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t("webhooks.empty")} /> }}
        columns={[
          { title: t("webhooks.name"), dataIndex: "name" },
          { title: t("webhooks.format"), dataIndex: "format", render: (f: WebhookFormat) => formatLabel(f) },
          { title: t("webhooks.url"), dataIndex: "target", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t("webhooks.secret"),
            dataIndex: "hasSecret",
            render: (v: boolean) => (v ? <Tag color="blue">{t("webhooks.secretSet")}</Tag> : <Tag>{t("webhooks.secretNone")}</Tag>),
          },
          {
            title: t("webhooks.events"),
            dataIndex: "events",
            render: (events: NotificationEvent[]) => (
              <Space size={4} wrap>
                {events.map((e) => (
                  <Tag key={e}>{t(`notify.event.${e}`)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("webhooks.status"),
            dataIndex: "enabled",
            render: (v: boolean) => (v ? <Tag color="success">{t("webhooks.on")}</Tag> : <Tag>{t("webhooks.off")}</Tag>),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, row: Webhook) => (
              <Space>
                <Button size="small" onClick={() => startEdit(row)}>
                  {t("webhooks.edit")}
                </Button>
                <Popconfirm title={t("webhooks.deleteConfirm", { name: row.name })} onConfirm={() => remove.mutate({ id: row.id })}>
                  <Button size="small" danger>
                    {t("webhooks.delete")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Card title={t("webhooks.deliveries")} style={{ marginTop: 24 }}>
        <Typography.Paragraph type="secondary">{t("webhooks.deliveriesIntro")}</Typography.Paragraph>
        {deliveries.error && <ErrorAlert error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
        <Table<Delivery>
          rowKey="id"
          size="small"
          loading={deliveries.isPending}
          dataSource={deliveries.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t("webhooks.noDeliveries")} /> }}
          expandable={{
            rowExpandable: (row) => row.tries.length > 0,
            expandedRowRender: (row) => (
              <Space orientation="vertical" size={2}>
                {row.tries.map((a) => (
                  <Typography.Text key={a.attempt} type={a.ok ? "success" : "danger"}>
                    {t("webhooks.tries", { n: a.attempt })} · {formatDateTime(a.at)} · {a.responseCode ?? "—"} · {a.durationMs} ms
                    {a.error ? ` · ${a.error}` : ""}
                  </Typography.Text>
                ))}
              </Space>
            ),
          }}
          columns={[
            { title: t("webhooks.createdAt"), dataIndex: "createdAt", render: (v: Date) => formatDateTime(v) },
            { title: t("webhooks.name"), dataIndex: "webhookName" },
            { title: t("webhooks.events"), dataIndex: "event", render: (e: NotificationEvent) => t(`notify.event.${e}`) },
            {
              title: t("webhooks.status"),
              dataIndex: "status",
              render: (s: Delivery["status"]) => <Tag color={STATUS_COLOR[s]}>{t(`webhooks.deliveryStatus.${s}`)}</Tag>,
            },
            { title: t("webhooks.attempts"), dataIndex: "attempts" },
            { title: t("webhooks.lastCode"), dataIndex: "lastCode", render: (v: number | null) => v ?? "—" },
            { title: t("webhooks.lastError"), dataIndex: "lastError", ellipsis: true, render: (v: string | null) => v ?? "—" },
          ]}
        />
      </Card>
      <Modal
        title={isNew ? t("webhooks.add") : t("webhooks.edit")}
        open={editing !== null}
        okText={t("common.confirm")}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={() => void form.validateFields().then(submit)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t("webhooks.name")} rules={[{ required: true, max: 64 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="format" label={t("webhooks.format")} rules={[{ required: true }]}>
            <Select options={(["wecom", "dingtalk", "generic"] as const).map((f) => ({ value: f, label: formatLabel(f) }))} aria-label={t("webhooks.format")} />
          </Form.Item>
          <Form.Item
            name="url"
            label={t("webhooks.url")}
            extra={isNew ? undefined : t("webhooks.urlKeep")}
            rules={[{ required: isNew, type: "url", message: t("webhooks.urlInvalid") }]}
          >
            <Input placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" autoComplete="off" />
          </Form.Item>
          <Form.Item name="secret" label={t("webhooks.secret")} extra={isNew ? t("webhooks.secretHint") : t("webhooks.secretKeep")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="events" label={t("webhooks.events")} rules={[{ required: true, type: "array", min: 1, message: t("webhooks.eventsRequired") }]}>
            <Checkbox.Group options={NOTIFICATION_EVENTS.map((e) => ({ value: e, label: t(`notify.event.${e}`) }))} />
          </Form.Item>
          <Form.Item name="enabled" label={t("webhooks.enabled")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
