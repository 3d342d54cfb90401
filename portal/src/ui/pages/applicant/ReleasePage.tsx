import { useQuery } from "@tanstack/react-query";
import { IN_FLIGHT_STATES } from "@zhengyun/db/vocabulary";
import { Alert, Card, Col, Result, Row, Space, Steps } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { GivenBack } from "../../components/GivenBack.js";
import { LinkButton } from "../../components/LinkButton.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { releaseBlock } from "../../lib/release.js";
import { progressOf, stepLabel } from "../request/workflow.js";
import { useBlockText } from "./ReleaseAction.js";
import { ReleaseForm } from "./ReleaseForm.js";

/** One system's release: what it gives back, the approval path, the warning, and the form. */
export default function ReleasePage() {
  const { t } = useTranslation();
  const blockText = useBlockText();
  const { systemId = "" } = useParams();
  const system = useQuery(trpc.systems.get.queryOptions({ id: systemId }));
  const open = useQuery(trpc.requests.list.queryOptions({ systemId, states: [...IN_FLIGHT_STATES], limit: 1 }));
  const back = <LinkButton to="/systems">{t("release.backToSystems")}</LinkButton>;

  if (system.isPending || open.isPending) return <Loading />;
  if (system.error || open.error)
    return (
      <>
        <PageHeader title={t("release.title")} />
        <ErrorAlert error={system.error ?? open.error} onRetry={() => void Promise.all([system.refetch(), open.refetch()])} />
        {back}
      </>
    );
  const s = system.data;
  const block = releaseBlock(s, open.data);
  const title = (
    <Space wrap>
      {t("release.title")}
      <span style={{ fontWeight: 400 }}>{s.name}</span>
      <LevelTag level={s.level} />
      <ZoneTag zone={s.zone} />
    </Space>
  );
  if (block)
    return (
      <>
        <PageHeader title={title} />
        <Result
          status="info"
          title={t("release.unavailable")}
          subTitle={blockText(block)}
          extra={[
            block.reason === "inFlight" && (
              <LinkButton key="request" type="primary" to={`/requests/${block.request.id}`}>
                {t("release.viewRequest", { number: block.request.number })}
              </LinkButton>
            ),
            <span key="back">{back}</span>,
          ]}
        />
      </>
    );
  const path = progressOf("draft", s.level, "release", null).steps;
  return (
    <>
      <PageHeader title={title} intro={t("release.intro")} />
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t("release.givenBack")} style={{ marginBottom: 16 }}>
            <GivenBack system={s} grant={s.granted} />
          </Card>
          <Card size="small" title={t("release.path")} style={{ marginBottom: 16 }}>
            <Steps size="small" current={0} items={path.map((step) => ({ title: t(stepLabel(step, "release")) }))} />
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Alert
            type="warning"
            showIcon
            title={t("release.warningTitle")}
            description={t("release.warning", { namespace: s.namespace })}
            style={{ marginBottom: 16 }}
            data-testid="release-warning"
          />
          <Card size="small" title={t("release.formTitle")}>
            <ReleaseForm system={s} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
