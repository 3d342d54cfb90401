import { Alert, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { allowedStorage } from "../../../lib/policy.js";
import { STORAGE_CLASSES } from "../../../lib/resources.js";
import { type Headroom, ResourceField } from "./ResourceField.js";

export function StorageStep({ level, headroom }: { level: number; headroom: Headroom }) {
  const { t } = useTranslation();
  const allowed = allowedStorage(level);
  return (
    <>
      <Typography.Paragraph type="secondary">{t("wizard.storageHint")}</Typography.Paragraph>
      {level >= 3 && <Alert type="warning" showIcon title={t("wizard.encryptedOnly")} style={{ marginBottom: 16 }} />}
      <Space size={24} wrap>
        {STORAGE_CLASSES.map((r) => (
          <ResourceField key={r} resource={r} headroom={headroom} disabled={!allowed.includes(r)} />
        ))}
      </Space>
    </>
  );
}
