import { Form, InputNumber } from "antd";
import type { Rule } from "antd/es/form/index.js";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../lib/format.js";
import { amountOf, type Quantities } from "../../../lib/resources.js";
import type { RequestedResource } from "./model.js";

export interface Headroom {
  remaining: Quantities;
  current: Quantities;
}

interface ResourceFieldProps {
  resource: RequestedResource;
  headroom: Headroom;
  disabled?: boolean;
  required?: boolean;
  max?: number;
}

/** One resource amount, checked live against what the department has left. */
export function ResourceField({ resource, headroom, disabled = false, required = false, max = 1_048_576 }: ResourceFieldProps) {
  const { t } = useTranslation();
  const unit = t(`unit.${resource}`);
  const current = amountOf(headroom.current, resource);
  const rules: Rule[] = [
    { required, message: t(resource === "vcpu" ? "wizard.vcpuRequired" : "wizard.memoryRequired") },
    { type: "integer", min: 0, max, message: t("wizard.wholeNumber") },
    {
      validator: async (_rule, value: number | null | undefined) => {
        const left = amountOf(headroom.remaining, resource);
        if (value != null && value - current > left) throw new Error(t("wizard.exceedsHeadroom", { max: formatNumber(left), unit }));
      },
    },
  ];
  return (
    <Form.Item
      name={["resources", resource]}
      label={t(`resource.${resource}`)}
      rules={disabled ? [] : rules}
      extra={current > 0 ? t("wizard.current", { value: `${formatNumber(current)} ${unit}` }) : undefined}
    >
      <InputNumber min={0} max={max} precision={0} disabled={disabled} suffix={unit || undefined} style={{ width: 220 }} />
    </Form.Item>
  );
}
