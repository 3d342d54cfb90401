import { Flex, Spin } from "antd";
import { useTranslation } from "react-i18next";

/** A centred spinner that says what it is doing, for screen readers too. */
export function Loading({ tall = false }: { tall?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: tall ? "60vh" : 160 }} role="status" aria-live="polite">
      <Spin description={t("app.loading")} />
    </Flex>
  );
}
