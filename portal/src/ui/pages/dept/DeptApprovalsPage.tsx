import { useTranslation } from "react-i18next";
import { ApprovalQueue } from "../../components/ApprovalQueue.js";
import { PageHeader } from "../../components/PageHeader.js";

export default function DeptApprovalsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("approval.deptTitle")} intro={t("approval.deptIntro")} />
      <ApprovalQueue stage="dept" />
    </>
  );
}
