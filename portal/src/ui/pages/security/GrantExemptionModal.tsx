import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, DatePicker, Form, Input, Select } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { applyFieldErrors } from "../../lib/forms.js";
import { CONTROL_IDS } from "../../lib/policy.js";

interface GrantForm {
  systemId: string;
  controlId: string;
  reason: string;
  expiresAt: dayjs.Dayjs;
}

export function GrantExemptionModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GrantForm>();
  const systems = useQuery(trpc.systems.list.queryOptions({ limit: 1000 }));
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
      onFinish={(v) => grant.mutate({ systemId: v.systemId, controlId: v.controlId.trim(), reason: v.reason.trim(), expiresAt: v.expiresAt.toDate() })}
      okText={t("security.grant")}
      pending={grant.isPending}
      error={grant.error}
      width={620}
    >
      <Form.Item name="systemId" label={t("requests.system")} rules={[{ required: true, message: t("wizard.systemRequired") }]}>
        <Select
          showSearch={{ optionFilterProp: "label" }}
          loading={systems.isPending}
          autoFocus
          options={(systems.data ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.departmentName}` }))}
        />
      </Form.Item>
      <Form.Item
        name="controlId"
        label={t("security.control")}
        rules={[{ required: true, pattern: /^[a-z0-9-]{2,63}$/, message: t("security.controlRequired") }]}
      >
        <AutoComplete
          options={CONTROL_IDS.map((id) => ({ value: id, label: `${id} — ${t(`control.${id}`)}` }))}
          filterOption={(input, option) => (option?.label ?? "").toLowerCase().includes(input.toLowerCase())}
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
