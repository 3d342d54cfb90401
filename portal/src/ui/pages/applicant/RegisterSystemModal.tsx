import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Radio, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { applyFieldErrors } from "../../lib/forms.js";

interface SystemForm {
  name: string;
  purpose: string;
  level: number;
  zone: "internal" | "external";
}

const LEVELS = [1, 2, 3, 4] as const;

export function RegisterSystemModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SystemForm>();
  const queryClient = useQueryClient();
  const register = useMutation(
    trpc.systems.register.mutationOptions({
      onSuccess: async (_data, input) => {
        message.success(t("systems.registered", { name: input.name }));
        await queryClient.invalidateQueries({ queryKey: trpc.systems.pathKey() });
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["name", "purpose", "level", "zone"]),
    }),
  );
  return (
    <FormModal<SystemForm>
      name="register-system"
      title={t("systems.register")}
      open
      form={form}
      onCancel={onClose}
      onFinish={(values) => register.mutate(values)}
      okText={t("systems.register")}
      pending={register.isPending}
      error={register.error}
      initialValues={{ level: 2, zone: "external" }}
      width={640}
    >
      <Form.Item name="name" label={t("systems.name")} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t("systems.nameRequired") }]}>
        <Input autoFocus maxLength={100} />
      </Form.Item>
      <Form.Item
        name="purpose"
        label={t("systems.purpose")}
        rules={[{ required: true, whitespace: true, min: 2, max: 2000, message: t("systems.purposeRequired") }]}
      >
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item name="level" label={t("systems.level")} extra={t("systems.levelNote")} rules={[{ required: true, message: t("systems.levelRequired") }]}>
        <Radio.Group>
          <Space orientation="vertical">
            {LEVELS.map((level) => (
              <Radio key={level} value={level}>
                <LevelTag level={level} />
                <Typography.Text type="secondary">{t(`levelHint.${String(level) as "1" | "2" | "3" | "4"}`)}</Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="zone" label={t("systems.zone")} rules={[{ required: true, message: t("systems.zoneRequired") }]}>
        <Radio.Group>
          <Space orientation="vertical">
            {(["external", "internal"] as const).map((zone) => (
              <Radio key={zone} value={zone}>
                <ZoneTag zone={zone} />
                <Typography.Text type="secondary">{t(`zoneHint.${zone}`)}</Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
    </FormModal>
  );
}
