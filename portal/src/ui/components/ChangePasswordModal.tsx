import { useMutation } from "@tanstack/react-query";
import { Alert, App, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../api/trpc.js";
import { applyFieldErrors } from "../lib/forms.js";
import { FormModal } from "./FormModal.js";

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** A signed-in person changes their own password; their other sessions end. */
export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        message.success(t("account.passwordChanged"));
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["currentPassword", "newPassword"]),
    }),
  );
  return (
    <FormModal<Values>
      name="change-password"
      title={t("account.changePassword")}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}
      okText={t("common.save")}
      pending={change.isPending}
      error={change.error}
      width={480}
    >
      <Alert type="info" showIcon title={t("login.passwordRules")} style={{ marginBottom: 16 }} />
      <Form.Item name="currentPassword" label={t("account.currentPassword")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t("login.newPassword")} rules={[{ required: true, message: t("login.newPasswordRequired") }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t("login.confirmPassword")}
        dependencies={["newPassword"]}
        rules={[
          { required: true, message: t("login.newPasswordRequired") },
          ({ getFieldValue }) => ({
            validator: (_, value) => (value === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("login.mismatch")))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
