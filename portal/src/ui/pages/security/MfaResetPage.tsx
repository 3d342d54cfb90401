import { useMutation } from "@tanstack/react-query";
import { App, Button, Card, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { PageHeader } from "../../components/PageHeader.js";
import { applyFieldErrors } from "../../lib/forms.js";

/** The security officer resets someone's lost authenticator (audited); they enrol again at the next sign-in. */
export default function MfaResetPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ username: string }>();
  const reset = useMutation(
    trpc.users.resetMfa.mutationOptions({
      onSuccess: (_res, input) => {
        message.success(t("security.mfaResetDone", { name: input.username }));
        form.resetFields();
      },
      onError: (err) => applyFieldErrors(form, err, ["username"]),
    }),
  );
  const submit = ({ username }: { username: string }) =>
    modal.confirm({
      title: t("security.mfaResetConfirm", { name: username.trim() }),
      okText: t("security.mfaResetSubmit"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: () => reset.mutate({ username: username.trim() }),
    });
  return (
    <>
      <PageHeader title={t("security.mfaResetTitle")} intro={t("security.mfaResetIntro")} />
      <Card style={{ maxWidth: 520 }}>
        {reset.error && <ErrorAlert error={reset.error} />}
        <Form<{ username: string }> form={form} layout="vertical" requiredMark={false} onFinish={submit} disabled={reset.isPending}>
          <Form.Item
            name="username"
            label={t("security.mfaResetUsername")}
            rules={[{ required: true, whitespace: true, message: t("security.mfaResetRequired") }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Button type="primary" danger htmlType="submit" loading={reset.isPending}>
            {t("security.mfaResetSubmit")}
          </Button>
        </Form>
      </Card>
    </>
  );
}
