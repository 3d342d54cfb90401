import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Flex, Form, Input, Select, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { applyFieldErrors } from "../../lib/forms.js";
import type { Role } from "../../lib/roles.js";
import { RoleCheckboxes } from "./RoleCheckboxes.js";

const refreshUsers = (queryClient: ReturnType<typeof useQueryClient>) => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });

export function EditRolesModal({ user, onClose }: { user: { id: string; displayName: string; roles: Role[] }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ roles: Role[] }>();
  const save = useMutation(
    trpc.users.setRoles.mutationOptions({
      onSuccess: async () => {
        message.success(t("users.rolesSaved", { name: user.displayName }));
        await refreshUsers(queryClient);
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["roles"]),
    }),
  );
  return (
    <FormModal<{ roles: Role[] }>
      name="edit-roles"
      title={t("users.editRolesTitle", { name: user.displayName })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => save.mutate({ id: user.id, roles: v.roles })}
      okText={t("common.save")}
      pending={save.isPending}
      error={save.error}
      initialValues={{ roles: user.roles }}
      width={480}
    >
      <Form.Item name="roles" label={t("users.roles")}>
        <RoleCheckboxes />
      </Form.Item>
    </FormModal>
  );
}

interface CreateForm {
  username: string;
  displayName: string;
  departmentId: string;
  ssoUsername?: string;
  roles: Role[];
}

/** Shows a temporary password once, for the administrator to hand over; it is not kept anywhere. */
export function showTemporaryPassword(modal: ReturnType<typeof App.useApp>["modal"], t: TFunction, name: string, password: string) {
  modal.success({
    title: t("users.temporaryTitle"),
    width: 480,
    content: (
      <Flex vertical gap={8}>
        <Typography.Text>{t("users.temporaryIntro", { name })}</Typography.Text>
        <Typography.Text code copyable data-testid="temporary-password" style={{ fontSize: 18 }}>
          {password}
        </Typography.Text>
      </Flex>
    ),
  });
}

export function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const departments = useQuery({ ...trpc.departments.list.queryOptions(), staleTime: 60_000 });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (res, input) => {
        message.success(t("users.created", { name: input.username }));
        showTemporaryPassword(modal, t, input.username, res.temporaryPassword);
        await refreshUsers(queryClient);
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["username", "displayName", "departmentId", "ssoUsername", "roles"]),
    }),
  );
  return (
    <FormModal<CreateForm>
      name="create-user"
      title={t("users.createTitle")}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) =>
        create.mutate({
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          departmentId: v.departmentId,
          ssoUsername: v.ssoUsername?.trim() ? v.ssoUsername.trim() : null,
          roles: v.roles,
        })
      }
      okText={t("users.create")}
      pending={create.isPending}
      error={create.error}
      initialValues={{ roles: [] }}
    >
      <Form.Item name="username" label={t("users.username")} rules={[{ required: true, pattern: /^[a-z0-9._-]{3,64}$/, message: t("users.usernameRequired") }]}>
        <Input autoFocus autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t("users.displayName")}
        rules={[{ required: true, whitespace: true, max: 100, message: t("users.displayNameRequired") }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="departmentId" label={t("users.department")} rules={[{ required: true, message: t("users.departmentRequired") }]}>
        <Select
          showSearch={{ optionFilterProp: "label" }}
          loading={departments.isPending}
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: i18n.language === "en" ? d.nameEn : d.name }))}
        />
      </Form.Item>
      <Form.Item name="ssoUsername" label={`${t("users.ssoUsername")} ${t("common.optional")}`} extra={t("users.ssoHint")} rules={[{ max: 128 }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="roles" label={t("users.roles")}>
        <RoleCheckboxes />
      </Form.Item>
    </FormModal>
  );
}

/** Marks an account for SSO with the provider username expected at its first SSO login, or unmarks it. */
export function SsoModal({ user, onClose }: { user: { id: string; displayName: string; ssoUsername: string | null }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ ssoUsername?: string }>();
  const save = useMutation(
    trpc.users.setSso.mutationOptions({
      onSuccess: async () => {
        message.success(t("users.ssoSaved"));
        await refreshUsers(queryClient);
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["ssoUsername"]),
    }),
  );
  return (
    <FormModal<{ ssoUsername?: string }>
      name="set-sso"
      title={t("users.setSsoTitle", { name: user.displayName })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => save.mutate({ id: user.id, ssoUsername: v.ssoUsername?.trim() ? v.ssoUsername.trim() : null })}
      okText={t("common.save")}
      pending={save.isPending}
      error={save.error}
      initialValues={{ ssoUsername: user.ssoUsername ?? "" }}
      width={480}
    >
      <Form.Item name="ssoUsername" label={t("users.ssoUsername")} extra={`${t("users.ssoHint")} ${t("users.ssoClear")}`} rules={[{ max: 128 }]}>
        <Input autoComplete="off" />
      </Form.Item>
    </FormModal>
  );
}
