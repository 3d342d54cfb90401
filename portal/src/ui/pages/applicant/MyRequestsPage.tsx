import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { LinkButton } from "../../components/LinkButton.js";
import { PageHeader } from "../../components/PageHeader.js";
import { RequestsTable } from "../../components/RequestsTable.js";

export default function MyRequestsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t("requests.title")}
        extra={
          <LinkButton to="/requests/new" type="primary" icon={<PlusOutlined aria-hidden />}>
            {t("nav.newRequest")}
          </LinkButton>
        }
      />
      <RequestsTable mine />
    </>
  );
}
