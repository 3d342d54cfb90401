import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Col, Form, InputNumber, Row } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { FormModal } from "../../components/FormModal.js";
import { formatNumber } from "../../lib/format.js";
import { applyFieldErrors } from "../../lib/forms.js";
import { amountOf, type Quantities, RESOURCES, type Resource } from "../../lib/resources.js";

export interface DepartmentQuota {
  id: string;
  name: string;
  ceiling: Quantities;
  held: Quantities;
}

type CeilingForm = Record<Resource, number>;

/** Edits one department's ceilings; going below what is held is allowed but flagged. */
export function CeilingModal({ department, onClose }: { department: DepartmentQuota; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CeilingForm>();
  const save = useMutation(
    trpc.departments.setCeiling.mutationOptions({
      onSuccess: async () => {
        message.success(t("ops.ceilingSaved", { name: department.name }));
        await queryClient.invalidateQueries({ queryKey: trpc.departments.pathKey() });
        onClose();
      },
      onError: (err) => applyFieldErrors(form, err, ["ceiling"]),
    }),
  );
  return (
    <FormModal<CeilingForm>
      name="ceiling"
      title={t("ops.editCeilingTitle", { name: department.name })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(values) => save.mutate({ id: department.id, ceiling: values })}
      okText={t("common.save")}
      pending={save.isPending}
      error={save.error}
      initialValues={Object.fromEntries(RESOURCES.map((r) => [r, amountOf(department.ceiling, r)])) as CeilingForm}
      width={720}
    >
      <Row gutter={16}>
        {RESOURCES.map((r, i) => (
          <Col span={12} key={r}>
            <Form.Item
              name={r}
              label={`${t(`resource.${r}`)}${t(`unit.${r}`) ? ` (${t(`unit.${r}`)})` : ""}`}
              extra={`${t("quota.held")}: ${formatNumber(amountOf(department.held, r))}`}
              rules={[
                { required: true, type: "integer", min: 0, max: 10_000_000, message: t("wizard.wholeNumber") },
                {
                  warningOnly: true,
                  validator: async (_rule, v: number | null) => {
                    const held = amountOf(department.held, r);
                    if (v != null && v < held) throw new Error(t("ops.belowHeld", { held: formatNumber(held) }));
                  },
                },
              ]}
            >
              <InputNumber min={0} max={10_000_000} precision={0} style={{ width: "100%" }} autoFocus={i === 0} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </FormModal>
  );
}
