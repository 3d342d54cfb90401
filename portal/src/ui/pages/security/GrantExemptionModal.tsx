import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Select } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { usePolicyCatalog } from "../../api/catalog.js";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { useBilingual } from "../../lib/bilingual.js";
import { atLevel, exemptibleAt } from "../../lib/catalog.js";
import { applyFieldErrors } from "../../lib/forms.js";

interface GrantForm {
  systemId: string;
  controlId: string;
  reason: string;
  expiresAt: dayjs.Dayjs;
}

export function GrantExemptionModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const pick = useBilingual();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GrantForm>();
  const systems = useQuery(trpc.systems.list.queryOptions({ limit: 1000 }));
  const catalog = usePolicyCatalog();
  const systemId = Form.useWatch("systemId", form);
  const controlId = Form.useWatch("controlId", form);
  const system = systems.data?.items.find((s) => s.id === systemId);
  // Only what may be exempted at the system's level: the catalog refuses anything else when the system is applied.
  const offered = system && catalog.data ? exemptibleAt(catalog.data, system.level) : [];
  const chosen = offered.find((c) => c.id === controlId);
  const requires = chosen && system ? atLevel(chosen, system.level) : undefined;
  const levelText = (level: number) => t(`level.${String(level) as "1" | "2" | "3" | "4"}`);
  const levelName = system ? levelText(system.level) : "";
  const grant = useMutation(
    trpc.exemptions.grant.mutationOptions({
      onSuccess: async () => {
        message.success(t("security.granted"));
        await queryClient.invalidateQueries({ queryKey: trpc.exemptions.pathKey() });
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["systemId", "controlId", "reason", "expiresAt"]),
    }),
  );
  return (
    <FormModal<GrantForm>
      name="grant-exemption"
      title={t("security.grantTitle")}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => grant.mutate({ systemId: v.systemId, controlId: v.controlId, reason: v.reason.trim(), expiresAt: v.expiresAt.toDate() })}
      okText={t("security.grant")}
      pending={grant.isPending}
      error={grant.error ?? catalog.error}
      width={620}
    >
      <Form.Item name="systemId" label={t("requests.system")} rules={[{ required: true, message: t("wizard.systemRequired") }]}>
        <Select
          showSearch={{ optionFilterProp: "label" }}
          loading={systems.isPending}
          autoFocus
          onChange={() => form.setFieldValue("controlId", undefined)}
          options={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.departmentName} · ${levelText(s.level)}` }))}
        />
      </Form.Item>
      <Form.Item
        name="controlId"
        label={t("security.control")}
        rules={[{ required: true, message: t("security.controlRequired") }]}
        extra={
          requires
            ? t("security.controlRequires", { level: levelName, summary: pick(requires.summary) })
            : system
              ? t("security.controlHint", { level: levelName })
              : undefined
        }
      >
        <Select
          showSearch={{ optionFilterProp: "label" }}
          disabled={!system}
          loading={catalog.isPending}
          placeholder={system ? undefined : t("security.controlPickSystem")}
          options={offered.map((c) => ({ value: c.id, label: `${pick(c.title)} (${c.id})` }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t("security.reason")}
        rules={[{ required: true, whitespace: true, min: 4, max: 2000, message: t("security.reasonRequired") }]}
      >
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item name="expiresAt" label={t("security.expiresAt")} rules={[{ required: true, message: t("security.expiresRequired") }]}>
        <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), "day")} style={{ width: 240 }} />
      </Form.Item>
    </FormModal>
  );
}
