import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Radio, Space } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { LevelTag } from "../../components/tags.js";
import { applyFieldErrors } from "../../lib/forms.js";

export interface GradeTarget {
  id: string;
  name: string;
  level: number;
  filingNumber: string | null;
}

interface GradeForm {
  level: number;
  filingNumber: string;
}

export function GradeModal({ system, onClose }: { system: GradeTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GradeForm>();
  const grade = useMutation(
    trpc.systems.grade.mutationOptions({
      onSuccess: async (res) => {
        message.success(t("security.graded", { name: system.name, level: t(`level.${String(res.level) as "1" | "2" | "3" | "4"}`) }));
        await queryClient.invalidateQueries({ queryKey: trpc.systems.pathKey() });
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["level", "filingNumber"]),
    }),
  );
  return (
    <FormModal<GradeForm>
      name="grade"
      title={t("security.gradeTitle", { name: system.name })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => grade.mutate({ id: system.id, level: v.level, filingNumber: v.filingNumber.trim() })}
      okText={t("security.grade")}
      pending={grade.isPending}
      error={grade.error}
      initialValues={{ level: system.level, filingNumber: system.filingNumber ?? "" }}
    >
      <Form.Item name="level" label={t("systems.level")} rules={[{ required: true, message: t("systems.levelRequired") }]}>
        <Radio.Group>
          <Space orientation="vertical">
            {[1, 2, 3, 4].map((level) => (
              <Radio key={level} value={level}>
                <LevelTag level={level} />
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="filingNumber"
        label={t("security.filingNumber")}
        rules={[{ required: true, whitespace: true, min: 4, max: 64, message: t("security.filingRequired") }]}
      >
        <Input maxLength={64} placeholder="32100043003-24001" autoFocus />
      </Form.Item>
    </FormModal>
  );
}
