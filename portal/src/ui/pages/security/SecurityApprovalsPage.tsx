import { useTranslation } from "react-i18next";
import { ApprovalQueue } from "../../components/ApprovalQueue.js";
import { PageHeader } from "../../components/PageHeader.js";

export default function SecurityApprovalsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("approval.securityTitle")} intro={t("approval.securityIntro")} />
      <ApprovalQueue stage="security" />
    </>
  );
}
