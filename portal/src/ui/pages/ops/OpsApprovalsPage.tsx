import { useTranslation } from "react-i18next";
import { ApprovalQueue } from "../../components/ApprovalQueue.js";
import { ClusterHeadroom } from "../../components/ClusterHeadroom.js";
import { PageHeader } from "../../components/PageHeader.js";

export default function OpsApprovalsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("approval.opsTitle")} intro={t("approval.opsIntro")} />
      <ClusterHeadroom />
      <ApprovalQueue stage="ops" showImpact />
    </>
  );
}
