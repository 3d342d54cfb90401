import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Descriptions, Row, Space, Steps, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useCurrentUser } from "../api/current-user.js";
import { trpc } from "../api/trpc.js";
import { ErrorAlert } from "../components/ErrorAlert.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { KindTag, LevelTag, StateTag, ZoneTag } from "../components/tags.js";
import { formatDateTime } from "../lib/format.js";
import { ProvisioningCard } from "./request/ProvisioningCard.js";
import { RatingCard } from "./request/RatingCard.js";
import { ReleaseContents } from "./request/ReleaseContents.js";
import { RequestActions } from "./request/RequestActions.js";
import { RequestTimeline } from "./request/RequestTimeline.js";
import { ResourceTable } from "./request/ResourceTable.js";
import { progressOf, stepLabel } from "./request/workflow.js";

const COMPLETED = ["active", "failed", "rejected"];

export default function RequestDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const me = useCurrentUser();
  // No push channel yet: while provisioning, poll so progress shows as it happens.
  const request = useQuery({ ...trpc.requests.get.queryOptions({ id }), refetchInterval: (q) => (q.state.data?.state === "provisioning" ? 2000 : false) });

  if (request.isPending) return <Loading />;
  if (request.error) return <ErrorAlert error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  const lastFrom = r.transitions.at(-1)?.from ?? null;
  const progress = progressOf(r.state, r.level, r.kind, lastFrom, r.graded);
  const release = r.kind === "release";

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {t("requests.detailTitle", { number: r.number })}
            <Typography.Text style={{ fontSize: 18, fontWeight: 400 }}>{r.systemName}</Typography.Text>
            <span data-testid="request-state">
              <StateTag state={r.state} kind={r.kind} />
            </span>
          </Space>
        }
        extra={<RequestActions request={r} />}
      />
      <Card size="small" title={t("requests.progress")} style={{ marginBottom: 16 }}>
        <Steps size="small" current={progress.current} status={progress.status} items={progress.steps.map((s) => ({ title: t(stepLabel(s, r.kind)) }))} />
      </Card>
      {!r.graded && ["submitted", "dept_approved", "ops_approved"].includes(r.state) && (
        <Alert type="warning" showIcon title={t("approval.awaitingGradingAlert")} style={{ marginBottom: 16 }} data-testid="awaiting-grading" />
      )}
      {r.state === "provisioning" && <ProvisioningCard allocation={r.allocation} releasing={release} />}
      {r.state === "rejected" && r.rejectionReason && (
        <Alert
          type="error"
          showIcon
          title={t("requests.rejectionReason")}
          description={r.rejectionReason}
          style={{ marginBottom: 16 }}
          data-testid="rejection"
        />
      )}
      {r.state === "failed" && r.failureReason && (
        <Alert type="error" showIcon title={t("requests.failureReason")} description={r.failureReason} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={2} styles={{ label: { width: 140 } }}>
              <Descriptions.Item label={t("requests.system")}>
                <Space wrap size={4}>
                  {r.systemName}
                  <LevelTag level={r.level} />
                  <ZoneTag zone={r.zone} />
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t("requests.kind")}>
                <KindTag kind={r.kind} />
              </Descriptions.Item>
              <Descriptions.Item label={t("requests.department")}>{r.departmentName}</Descriptions.Item>
              <Descriptions.Item label={t("requests.requester")}>{r.requesterName}</Descriptions.Item>
              <Descriptions.Item label={t("requests.submittedAt")}>{formatDateTime(r.submittedAt)}</Descriptions.Item>
              {/* A release asks for no term, segment or egress: those rows would only say "none". */}
              {!release && (
                <>
                  <Descriptions.Item label={t("requests.expiresAt")}>{r.expiresAt ? formatDateTime(r.expiresAt) : t("wizard.noExpiry")}</Descriptions.Item>
                  <Descriptions.Item label={t("requests.segmentPrefix")}>{r.segmentPrefix ? `/${r.segmentPrefix}` : t("wizard.segmentNone")}</Descriptions.Item>
                  <Descriptions.Item label={t("requests.segments")}>
                    {r.segments.length ? r.segments.map((s) => <Tag key={s.cidr}>{s.cidr}</Tag>) : t("common.none")}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("requests.egress")} span={2}>
                    {r.egress.length ? r.egress.map((e) => <Tag key={`${e.host}:${e.port}`}>{`${e.host}:${e.port}`}</Tag>) : t("wizard.noEgress")}
                  </Descriptions.Item>
                </>
              )}
              <Descriptions.Item label={t("requests.justification")} span={2}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{r.justification}</Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {release ? (
            <ReleaseContents request={r} />
          ) : (
            <ResourceTable target={r.target} current={r.currentGrant} before={r.kind === "change" ? r.grantBefore : null} />
          )}
          {COMPLETED.includes(r.state) && <RatingCard requestId={r.id} rating={r.rating} canRate={r.requesterId === me.id && me.roles.includes("applicant")} />}
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t("requests.timeline")}>
            <RequestTimeline transitions={r.transitions} kind={r.kind} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
