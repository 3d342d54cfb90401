import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Select } from "antd";
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
  password?: string;
  roles: Role[];
}

export function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const departments = useQuery({ ...trpc.departments.list.queryOptions(), staleTime: 60_000 });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (_res, input) => {
        message.success(t("users.created", { name: input.username }));
        await refreshUsers(queryClient);
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["username", "displayName", "departmentId", "password", "roles"]),
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
          password: v.password ? v.password : null,
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
          options={(departments.data ?? []).map((d) => ({ value: d.id, label: i18n.language === "en" ? d.nameEn : d.name }))}
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={`${t("users.password")} ${t("common.optional")}`}
        extra={t("users.passwordHint")}
        rules={[{ min: 12, max: 256, message: t("users.passwordShort") }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="roles" label={t("users.roles")}>
        <RoleCheckboxes />
      </Form.Item>
    </FormModal>
  );
}
