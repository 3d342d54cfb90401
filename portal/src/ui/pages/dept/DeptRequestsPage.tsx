import { useTranslation } from "react-i18next";
import { PageHeader } from "../../components/PageHeader.js";
import { RequestsTable } from "../../components/RequestsTable.js";

export default function DeptRequestsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("requests.deptTitle")} />
      <RequestsTable mine={false} />
    </>
  );
}
