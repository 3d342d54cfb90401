import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Flex, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/current-user.js";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { TableFilter } from "../../components/TableFilter.js";
import { RoleTag } from "../../components/tags.js";
import { useErrorText } from "../../components/useErrorText.js";
import { toTime } from "../../lib/format.js";
import { CreateUserModal, EditRolesModal, SsoModal, showTemporaryPassword } from "./UserModals.js";

type User = RouterOutputs["users"]["list"]["items"][number];

export default function UsersPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [editing, setEditing] = useState<User | null>(null);
  const [creating, setCreating] = useState(false);
  const [ssoFor, setSsoFor] = useState<User | null>(null);
  const resetPassword = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: async (res) => {
        const user = loaded.find((u) => u.id === res.userId);
        showTemporaryPassword(modal, t, user?.username ?? "", res.temporaryPassword);
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
      },
      onError: (err) => {
        const { title, detail } = errorText(err);
        modal.error({ title, content: detail });
      },
    }),
  );
  const users = useInfiniteQuery(
    trpc.users.list.infiniteQueryOptions({ limit: 200 }, { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined }),
  );
  const loaded = users.data?.pages.flatMap((p) => p.items) ?? [];
  const setStatus = useMutation(
    trpc.users.setStatus.mutationOptions({
      onSuccess: async () => {
        message.success(t("users.statusSaved"));
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
      },
      onError: (err) => {
        const { title, detail } = errorText(err);
        modal.error({ title, content: detail });
      },
    }),
  );
  const q = text.trim().toLowerCase();
  const rows = loaded.filter((u) => !q || [u.username, u.displayName, u.departmentName].some((v) => v.toLowerCase().includes(q)));
  const now = Date.now();
  return (
    <>
      <PageHeader
        title={t("users.title")}
        intro={t("users.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t("users.create")}
          </Button>
        }
      />
      {users.error && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      <Flex style={{ marginBottom: 16 }}>
        <TableFilter placeholder={`${t("users.username")} / ${t("users.displayName")} / ${t("users.department")}`} onChange={setText} width={340} />
      </Flex>
      <Table<User>
        rowKey="id"
        loading={users.isPending}
        dataSource={rows}
        pagination={{ pageSize: 15, hideOnSinglePage: true, showTotal: (count) => t("common.total", { count }) }}
        locale={{ emptyText: <Empty description={t("empty.users")} /> }}
        columns={[
          { title: t("users.username"), dataIndex: "username", width: 170, render: (u: string) => <Typography.Text code>{u}</Typography.Text> },
          { title: t("users.displayName"), dataIndex: "displayName", width: 180 },
          { title: t("users.department"), dataIndex: "departmentName" },
          {
            title: t("users.roles"),
            dataIndex: "roles",
            render: (roles: User["roles"]) => (
              <Space size={4} wrap>
                {roles.map((r) => (
                  <RoleTag key={r} role={r} />
                ))}
              </Space>
            ),
          },
          {
            title: t("users.status"),
            key: "status",
            width: 220,
            render: (_, u) => (
              <Space size={4} wrap>
                {u.disabled ? <Tag color="default">{t("users.disabled")}</Tag> : <Tag color="success">{t("users.enabled")}</Tag>}
                {u.lockedUntil && toTime(u.lockedUntil) > now && <Tag color="error">{t("users.locked")}</Tag>}
                {u.sso && <Tag color="blue">{t("users.sso")}</Tag>}
                {u.ssoUsername && <Tag color="processing">{t("users.ssoPending")}</Tag>}
                {u.mfa && <Tag color="green">{t("users.mfa")}</Tag>}
                {u.mustChangePassword && <Tag color="warning">{t("users.mustChange")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            width: 380,
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(u)} aria-label={`${t("users.editRoles")} ${u.username}`}>
                  {t("users.editRoles")}
                </Button>
                {u.id !== me.id && (
                  <Popconfirm
                    title={t("users.resetConfirm")}
                    okText={t("users.resetPassword")}
                    cancelText={t("common.cancel")}
                    onConfirm={() => resetPassword.mutate({ id: u.id })}
                  >
                    <Button size="small" aria-label={`${t("users.resetPassword")} ${u.username}`}>
                      {t("users.resetPassword")}
                    </Button>
                  </Popconfirm>
                )}
                <Button size="small" onClick={() => setSsoFor(u)} aria-label={`${t("users.setSso")} ${u.username}`}>
                  {t("users.setSso")}
                </Button>
                {u.lockedUntil && toTime(u.lockedUntil) > now && (
                  <Button size="small" onClick={() => setStatus.mutate({ id: u.id, unlock: true })}>
                    {t("users.unlock")}
                  </Button>
                )}
                {u.disabled ? (
                  <Button size="small" onClick={() => setStatus.mutate({ id: u.id, disabled: false })}>
                    {t("users.enable")}
                  </Button>
                ) : (
                  u.id !== me.id && (
                    <Popconfirm
                      title={t("users.disableConfirm")}
                      okText={t("users.disable")}
                      cancelText={t("common.cancel")}
                      onConfirm={() => setStatus.mutate({ id: u.id, disabled: true })}
                    >
                      <Button size="small" danger>
                        {t("users.disable")}
                      </Button>
                    </Popconfirm>
                  )
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore query={users} shown={loaded.length} />
      {editing && <EditRolesModal key={editing.id} user={editing} onClose={() => setEditing(null)} />}
      {creating && <CreateUserModal onClose={() => setCreating(false)} />}
      {ssoFor && <SsoModal key={ssoFor.id} user={ssoFor} onClose={() => setSsoFor(null)} />}
    </>
  );
}
