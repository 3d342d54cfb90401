import { useQuery } from "@tanstack/react-query";
import { Alert, Button, DatePicker, Flex, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";

/** Recomputes one day's count and digest and compares them with the summary in the audit chain. */
export function VerifyDay() {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<dayjs.Dayjs | null>(dayjs().subtract(1, "day"));
  const [day, setDay] = useState<string | null>(null);
  const verdict = useQuery({ ...trpc.egress.verifyDay.queryOptions({ day: day ?? "" }), enabled: day !== null });
  const v = verdict.data;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 16 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t("egress.verifyDay")}</Typography.Text>
        <DatePicker value={picked} onChange={setPicked} allowClear={false} aria-label={t("egress.verifyDay")} />
        <Button onClick={() => setDay(picked ? picked.format("YYYY-MM-DD") : null)} loading={verdict.isFetching}>
          {t("egress.verify")}
        </Button>
      </Flex>
      {verdict.error && <ErrorAlert error={verdict.error} onRetry={() => void verdict.refetch()} />}
      {v?.status === "intact" && <Alert type="success" showIcon title={t("egress.intact", { day: v.day, count: v.count })} />}
      {v?.status === "unsummarised" && <Alert type="info" showIcon title={t("egress.unsummarised", { day: v.day })} />}
      {v?.status === "altered" && (
        <Alert type="error" showIcon title={t("egress.altered", { day: v.day, recorded: v.recorded.count, actual: v.actual.count })} />
      )}
    </Flex>
  );
}
