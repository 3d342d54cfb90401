import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/current-user.js";
import { PageHeader } from "../../components/PageHeader.js";
import { UsageReports } from "./UsageReports.js";

/** The department's own usage and cost (department admin and applicants). */
export default function UsageReportPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  return (
    <>
      <PageHeader title={t("usage.title")} intro={t("usage.intro")} />
      <UsageReports departmentId={me.departmentId} allowAll={false} />
    </>
  );
}
