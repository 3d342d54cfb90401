import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Form, Input, InputNumber, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { egressBlockedBecause, egressHostProblem, type Zone } from "../../../lib/policy.js";
import { addressesIn, SEGMENT_PREFIXES } from "../../../lib/resources.js";
import { type Headroom, ResourceField } from "./ResourceField.js";

export function NetworkStep({ zone, level, headroom }: { zone: Zone; level: number; headroom: Headroom }) {
  const { t, i18n } = useTranslation();
  const blocked = egressBlockedBecause(zone, level);
  return (
    <>
      <Form.Item name="segmentPrefix" label={t("wizard.segment")} extra={t("wizard.segmentHint", { zone: t(`zone.${zone}`) })}>
        <Select
          style={{ width: 280 }}
          options={[
            { value: 0, label: t("wizard.segmentNone") },
            ...SEGMENT_PREFIXES.map((prefix) => ({ value: prefix, label: t("wizard.segmentPrefix", { prefix, addresses: addressesIn(prefix) }) })),
          ]}
        />
      </Form.Item>
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 8 }}>
        {t("wizard.egress")}
      </Typography.Title>
      {blocked ? (
        <Alert type="info" showIcon title={t(blocked === "internal" ? "wizard.egressInternal" : "wizard.egressLevel4")} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t("wizard.egressHint")}</Typography.Paragraph>
          <Form.List name="egress">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={12} align="flex-start">
                    <Form.Item
                      name={[field.name, "host"]}
                      label={`${t("wizard.egressHost")} ${index + 1}`}
                      style={{ flex: "1 1 320px" }}
                      rules={[
                        { required: true, whitespace: true, message: t("wizard.egressHostRequired") },
                        {
                          validator: async (_r, v: string | undefined) => {
                            const problem = v ? egressHostProblem(v, i18n.language) : null;
                            if (problem) throw new Error(problem);
                          },
                        },
                      ]}
                    >
                      <Input placeholder="api.example.gov.cn" />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, "port"]}
                      label={t("wizard.egressPort")}
                      rules={[{ required: true, type: "integer", min: 1, max: 65535, message: t("wizard.egressPortRequired") }]}
                    >
                      <InputNumber min={1} max={65535} precision={0} style={{ width: 120 }} />
                    </Form.Item>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t("wizard.egressRemove")}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: 30 }}
                    />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ host: "", port: 443 })} style={{ marginBottom: 16 }}>
                  {t("wizard.egressAdd")}
                </Button>
              </>
            )}
          </Form.List>
          <ResourceField resource="egress_mbps" headroom={headroom} max={100_000} />
        </>
      )}
    </>
  );
}
