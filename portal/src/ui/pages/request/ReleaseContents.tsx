import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Skeleton, Typography } from "antd";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { GivenBack } from "../../components/GivenBack.js";

type Request = Pick<RouterOutputs["requests"]["get"], "systemId" | "state" | "currentGrant" | "grantBefore">;

/**
 * On a release request's page, in place of the resource table: what goes, or what went. Until the
 * release is applied that is what the system holds now; from then on, what it held just before
 * (recorded on the request; absent for releases applied before it was recorded).
 */
export function ReleaseContents({ request }: { request: Request }) {
  const { t } = useTranslation();
  const system = useQuery(trpc.systems.get.queryOptions({ id: request.systemId }));
  // The page polls the request while it is carried out; when it moves on, the system's phase has too.
  const { refetch } = system;
  const shownState = useRef(request.state);
  useEffect(() => {
    if (shownState.current === request.state) return;
    shownState.current = request.state;
    void refetch();
  }, [request.state, refetch]);
  const body = () => {
    if (system.isPending) return <Skeleton active paragraph={{ rows: 3 }} title={false} />;
    if (system.error) return <ErrorAlert error={system.error} onRetry={() => void system.refetch()} />;
    const namespace = system.data.namespace;
    if (request.state === "active")
      return (
        <>
          <Alert type="success" showIcon title={t("release.doneHint", { namespace })} data-testid="release-done" style={{ marginBottom: 12 }} />
          {request.grantBefore ? (
            <GivenBack system={system.data} grant={request.currentGrant} recorded={request.grantBefore} />
          ) : (
            <Typography.Text type="secondary">{t("release.notRecorded")}</Typography.Text>
          )}
        </>
      );
    return (
      <>
        {request.state !== "rejected" && request.state !== "withdrawn" && request.state !== "failed" && (
          <Typography.Paragraph type="secondary">{t("release.pendingHint", { namespace })}</Typography.Paragraph>
        )}
        <GivenBack system={system.data} grant={request.currentGrant} recorded={request.grantBefore} />
      </>
    );
  };
  return (
    <Card size="small" title={t("release.detailTitle")} style={{ marginBottom: 16 }}>
      {body()}
    </Card>
  );
}
