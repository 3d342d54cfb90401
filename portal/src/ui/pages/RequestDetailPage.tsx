import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Descriptions, Row, Space, Steps, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useCurrentUser } from "../api/current-user.js";
import { trpc } from "../api/trpc.js";
import { ErrorAlert } from "../components/ErrorAlert.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { LevelTag, StateTag, ZoneTag } from "../components/tags.js";
import { formatDateTime, formatNumber } from "../lib/format.js";
import { amountOf, RESOURCES } from "../lib/resources.js";
import { ProvisioningCard } from "./request/ProvisioningCard.js";
import { RatingCard } from "./request/RatingCard.js";
import { RequestActions } from "./request/RequestActions.js";
import { RequestTimeline } from "./request/RequestTimeline.js";
import { progressOf, type StepKey } from "./request/workflow.js";

const STEP_LABEL = {
  submit: "requests.stepsSubmit",
  dept: "requests.stepsDept",
  ops: "requests.stepsOps",
  security: "requests.stepsSecurity",
  provision: "requests.stepsProvision",
  active: "requests.stepsActive",
} as const satisfies Record<StepKey, string>;

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
  const progress = progressOf(r.state, r.level, r.kind, lastFrom);
  const resourceRows = RESOURCES.filter((res) => amountOf(r.target, res) > 0 || amountOf(r.currentGrant, res) > 0).map((res) => ({
    resource: res,
    target: amountOf(r.target, res),
    current: amountOf(r.currentGrant, res),
  }));

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {t("requests.detailTitle", { number: r.number })}
            <Typography.Text style={{ fontSize: 18, fontWeight: 400 }}>{r.systemName}</Typography.Text>
            <span data-testid="request-state">
              <StateTag state={r.state} />
            </span>
          </Space>
        }
        extra={<RequestActions request={r} />}
      />
      <Card size="small" title={t("requests.progress")} style={{ marginBottom: 16 }}>
        <Steps size="small" current={progress.current} status={progress.status} items={progress.steps.map((s) => ({ title: t(STEP_LABEL[s]) }))} />
      </Card>
      {r.state === "provisioning" && <ProvisioningCard allocation={r.allocation} />}
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
              <Descriptions.Item label={t("requests.kind")}>{t(`kind.${r.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t("requests.department")}>{r.departmentName}</Descriptions.Item>
              <Descriptions.Item label={t("requests.requester")}>{r.requesterName}</Descriptions.Item>
              <Descriptions.Item label={t("requests.submittedAt")}>{formatDateTime(r.submittedAt)}</Descriptions.Item>
              <Descriptions.Item label={t("requests.expiresAt")}>{r.expiresAt ? formatDateTime(r.expiresAt) : t("wizard.noExpiry")}</Descriptions.Item>
              <Descriptions.Item label={t("requests.segmentPrefix")}>{r.segmentPrefix ? `/${r.segmentPrefix}` : t("wizard.segmentNone")}</Descriptions.Item>
              <Descriptions.Item label={t("requests.segments")}>
                {r.segments.length ? r.segments.map((s) => <Tag key={s.cidr}>{s.cidr}</Tag>) : t("common.none")}
              </Descriptions.Item>
              <Descriptions.Item label={t("requests.egress")} span={2}>
                {r.egress.length ? r.egress.map((e) => <Tag key={`${e.host}:${e.port}`}>{`${e.host}:${e.port}`}</Tag>) : t("wizard.noEgress")}
              </Descriptions.Item>
              <Descriptions.Item label={t("requests.justification")} span={2}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{r.justification}</Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t("requests.resources")} style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="resource"
              pagination={false}
              dataSource={resourceRows}
              columns={[
                { title: t("requests.resources"), dataIndex: "resource", render: (res: (typeof RESOURCES)[number]) => t(`resource.${res}`) },
                {
                  title: t("requests.currentGrant"),
                  dataIndex: "current",
                  align: "right",
                  render: (v: number, row) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`,
                },
                {
                  title: t("requests.target"),
                  dataIndex: "target",
                  align: "right",
                  render: (v: number, row) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`,
                },
              ]}
            />
          </Card>
          {COMPLETED.includes(r.state) && <RatingCard requestId={r.id} rating={r.rating} canRate={r.requesterId === me.id && me.roles.includes("applicant")} />}
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t("requests.timeline")}>
            <RequestTimeline transitions={r.transitions} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
