import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Form, Input, Radio, Space } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { applyFieldErrors } from "../../lib/forms.js";

export interface GradeTarget {
  id: string;
  name: string;
  level: number;
  zone: "internal" | "external";
  graded: boolean;
  filingNumber: string | null;
  /** Whether anything is provisioned: then the zone can no longer be corrected. */
  phase: string | null;
}

interface GradeForm {
  level: number;
  zone: "internal" | "external";
  filingNumber?: string;
  reason?: string;
}

/**
 * The security officer's grading (定级): confirms or corrects the proposed level and zone, with the
 * filing number from level 2; regrading a graded system asks for the reason.
 */
export function GradeModal({ system, onClose }: { system: GradeTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GradeForm>();
  const level = Form.useWatch("level", form) ?? system.level;
  const zone = Form.useWatch("zone", form) ?? system.zone;
  const regrading = system.graded && (level !== system.level || zone !== system.zone);
  const grade = useMutation(
    trpc.systems.grade.mutationOptions({
      onSuccess: async (res) => {
        message.success(t("security.graded", { name: system.name, level: t(`level.${String(res.level) as "1" | "2" | "3" | "4"}`) }));
        await Promise.all([trpc.systems.pathKey(), trpc.requests.pathKey()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["level", "zone", "filingNumber", "reason"]),
    }),
  );
  return (
    <FormModal<GradeForm>
      name="grade"
      title={t("security.gradeTitle", { name: system.name })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) =>
        grade.mutate({
          id: system.id,
          level: v.level,
          zone: v.zone,
          ...(v.filingNumber?.trim() ? { filingNumber: v.filingNumber.trim() } : {}),
          ...(regrading && v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        })
      }
      okText={t("security.grade")}
      pending={grade.isPending}
      error={grade.error}
      initialValues={{ level: system.level, zone: system.zone, filingNumber: system.filingNumber ?? "" }}
    >
      {system.graded && <Alert type="info" showIcon title={t("security.regradeNote")} style={{ marginBottom: 16 }} />}
      <Form.Item name="level" label={t("systems.level")} rules={[{ required: true, message: t("systems.levelRequired") }]}>
        <Radio.Group>
          <Space orientation="vertical">
            {[1, 2, 3, 4].map((l) => (
              <Radio key={l} value={l}>
                <LevelTag level={l} />
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="zone" label={t("systems.zone")} extra={system.phase ? t("security.zoneLocked") : undefined}>
        <Radio.Group disabled={Boolean(system.phase)}>
          {(["internal", "external"] as const).map((z) => (
            <Radio key={z} value={z}>
              <ZoneTag zone={z} />
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="filingNumber"
        label={t("security.filingNumber")}
        extra={level < 2 ? t("security.filingOptional") : undefined}
        rules={[{ required: level >= 2, whitespace: true, min: 4, max: 64, message: t("security.filingRequired") }]}
      >
        <Input maxLength={64} placeholder="32100043003-24001" autoFocus />
      </Form.Item>
      {regrading && (
        <Form.Item
          name="reason"
          label={t("security.regradeReason")}
          rules={[{ required: true, whitespace: true, min: 4, max: 1000, message: t("security.regradeReasonRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      )}
    </FormModal>
  );
}
