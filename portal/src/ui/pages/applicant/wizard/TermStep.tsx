import { DatePicker, Form, Input } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";

export function TermStep() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="expiresAt"
        label={`${t("wizard.expiry")} ${t("common.optional")}`}
        extra={t("wizard.expiryHint")}
        rules={[
          {
            validator: async (_r, v: dayjs.Dayjs | null | undefined) => {
              if (v && !v.isAfter(dayjs())) throw new Error(t("wizard.expiryFuture"));
            },
          },
        ]}
      >
        <DatePicker disabledDate={(d) => d.isBefore(dayjs().add(1, "day"), "day")} style={{ width: 220 }} />
      </Form.Item>
      <Form.Item
        name="justification"
        label={t("wizard.justification")}
        extra={t("wizard.justificationHint")}
        rules={[{ required: true, whitespace: true, min: 4, max: 4000, message: t("wizard.justificationRequired") }]}
      >
        <Input.TextArea rows={4} maxLength={4000} showCount />
      </Form.Item>
    </>
  );
}
