import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/current-user.js";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { PageHeader } from "../../components/PageHeader.js";
import { RoleTag } from "../../components/tags.js";
import { useErrorText } from "../../components/useErrorText.js";
import { formatDateTime, toTime } from "../../lib/format.js";

type Token = RouterOutputs["tokens"]["list"]["items"][number];
type Created = RouterOutputs["tokens"]["create"];

/** API tokens the caller manages: list (paged, "load more"), create (secret shown once), revoke. */
export default function TokensPage() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const errorText = useErrorText();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [form] = Form.useForm<{ name: string; roles: Token["roles"]; expiresInDays: number }>();
  const tokens = useInfiniteQuery(
    trpc.tokens.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() });
  const onError = (err: Parameters<typeof errorText>[0]) => {
    const { title, detail } = errorText(err);
    modal.error({ title, content: detail });
  };
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (token) => {
        setCreating(false);
        form.resetFields();
        setCreated(token);
        await refresh();
      },
      onError,
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh, onError }));
  const rows = tokens.data?.pages.flatMap((p) => p.items) ?? [];
  const myRoles = me.roles;
  const now = Date.now();
  return (
    <>
      <PageHeader
        title={t("tokens.title")}
        intro={t("tokens.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t("tokens.create")}
          </Button>
        }
      />
      {tokens.error && <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />}
      <Table<Token>
        rowKey="id"
        loading={tokens.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t("tokens.empty")} /> }}
        columns={[
          { title: t("tokens.name"), dataIndex: "name" },
          { title: t("tokens.prefix"), dataIndex: "prefix", render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          {
            title: t("tokens.roles"),
            dataIndex: "roles",
            render: (roles: Token["roles"]) => (
              <Space size={4} wrap>
                {roles.map((r) => (
                  <RoleTag key={r} role={r} />
                ))}
              </Space>
            ),
          },
          { title: t("tokens.owner"), dataIndex: "ownerName" },
          { title: t("tokens.expiresAt"), dataIndex: "expiresAt", render: (v: Date) => formatDateTime(v) },
          { title: t("tokens.lastUsedAt"), dataIndex: "lastUsedAt", render: (v: Date | null) => (v ? formatDateTime(v) : t("tokens.never")) },
          {
            title: t("tokens.status"),
            key: "status",
            render: (_: unknown, row: Token) =>
              row.revokedAt ? (
                <Tag>{t("tokens.revoked")}</Tag>
              ) : toTime(row.expiresAt) < now ? (
                <Tag color="warning">{t("tokens.expired")}</Tag>
              ) : (
                <Tag color="success">{t("tokens.active")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, row: Token) =>
              row.revokedAt ? null : (
                <Popconfirm title={t("tokens.revokeConfirm", { name: row.name })} onConfirm={() => revoke.mutate({ id: row.id })}>
                  <Button danger size="small">
                    {t("tokens.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {tokens.hasNextPage && (
        <Button style={{ marginTop: 16 }} loading={tokens.isFetchingNextPage} onClick={() => void tokens.fetchNextPage()}>
          {t("tokens.loadMore")}
        </Button>
      )}
      <Modal
        title={t("tokens.create")}
        open={creating}
        okText={t("tokens.create")}
        confirmLoading={create.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => void form.validateFields().then((v) => create.mutate(v))}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ expiresInDays: 90, roles: myRoles.slice(0, 1) }}>
          <Form.Item name="name" label={t("tokens.name")} rules={[{ required: true, max: 64, message: t("tokens.nameHint") }]}>
            <Input placeholder={t("tokens.namePlaceholder")} />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t("tokens.roles")}
            extra={t("tokens.rolesHint")}
            rules={[{ required: true, type: "array", min: 1, message: t("tokens.rolesHint") }]}
          >
            <Checkbox.Group options={myRoles.map((r) => ({ value: r, label: <RoleTag role={r} /> }))} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t("tokens.expiresInDays")} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} addonAfter={t("tokens.days")} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={t("tokens.createdTitle")}
        open={created !== null}
        onOk={() => setCreated(null)}
        onCancel={() => setCreated(null)}
        cancelButtonProps={{ hidden: true }}
      >
        <Alert type="warning" showIcon message={t("tokens.shownOnce")} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: created?.secret ?? "" }} code style={{ wordBreak: "break-all" }}>
          {created?.secret}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t("tokens.usage")}</Typography.Paragraph>
      </Modal>
    </>
  );
}
