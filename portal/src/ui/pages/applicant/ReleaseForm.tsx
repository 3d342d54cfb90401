import { DeleteOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Checkbox, Flex, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LinkButton } from "../../components/LinkButton.js";
import { applyFieldErrors } from "../../lib/forms.js";
import { confirmsName } from "../../lib/release.js";

interface ReleaseValues {
  justification: string;
  acknowledged: boolean;
  confirmName: string;
}

/**
 * The reason, and two deliberate confirmations (the acknowledgement and the typed system name),
 * then one call that files and submits the release; on success, the request's page.
 */
export function ReleaseForm({ system }: { system: { id: string; name: string } }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReleaseValues>();
  const file = useMutation(
    trpc.requests.create.mutationOptions({
      onSuccess: async (created) => {
        message.success(t("release.submitted", { number: created.number }));
        await Promise.all([trpc.requests.pathKey(), trpc.systems.pathKey()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
        navigate(`/requests/${created.id}`);
      },
      onError: (err) => applyFieldErrors(form, err, ["justification"]),
    }),
  );
  const onFinish = (v: ReleaseValues) => file.mutate({ systemId: system.id, kind: "release", justification: v.justification.trim(), submit: true });

  return (
    <Form<ReleaseValues> form={form} layout="vertical" name="release" onFinish={onFinish} initialValues={{ acknowledged: false }}>
      {file.error && <ErrorAlert error={file.error} />}
      <Form.Item
        name="justification"
        label={t("release.justification")}
        extra={t("release.justificationHint")}
        rules={[{ required: true, whitespace: true, min: 4, message: t("release.justificationRequired") }]}
      >
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Form.Item
        name="acknowledged"
        valuePropName="checked"
        rules={[{ validator: (_, checked) => (checked ? Promise.resolve() : Promise.reject(new Error(t("release.acknowledgeRequired")))) }]}
      >
        <Checkbox>{t("release.acknowledge")}</Checkbox>
      </Form.Item>
      <Form.Item
        name="confirmName"
        label={t("release.confirmName")}
        rules={[
          { required: true, whitespace: true, message: t("release.confirmNameHint", { name: system.name }) },
          {
            validator: (_, typed?: string) =>
              !typed?.trim() || confirmsName(typed, system.name)
                ? Promise.resolve()
                : Promise.reject(new Error(t("release.confirmNameMismatch", { name: system.name }))),
          },
        ]}
      >
        <Input placeholder={system.name} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <LinkButton to="/systems">{t("common.cancel")}</LinkButton>
        <Button type="primary" danger htmlType="submit" icon={<DeleteOutlined aria-hidden />} loading={file.isPending}>
          {t("release.submit")}
        </Button>
      </Flex>
    </Form>
  );
}
