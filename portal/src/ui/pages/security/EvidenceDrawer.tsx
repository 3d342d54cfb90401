import { ExportOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Button, Descriptions, Drawer, Flex, List, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { evidenceUrl } from "../../lib/evidence.js";
import { formatDateTime } from "../../lib/format.js";
import { ControlStatusTag, EvidenceCounts } from "./evidence-tags.js";

type Detail = RouterOutputs["evidence"]["get"];
type Control = NonNullable<Detail["report"]>["controls"][number];

/** One system's evidence: each control of its level and how it stands, and the report history. */
export function EvidenceDrawer({ systemId, systemName, onClose }: { systemId: string; systemName: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [reportId, setReportId] = useState<number | undefined>();
  const detail = useQuery(trpc.evidence.get.queryOptions({ systemId, reportId }));
  const pick = (text: { zh: string; en: string }) => (i18n.language === "en" ? text.en : text.zh);
  const data = detail.data;
  const report = data?.report;
  const shown = data?.history.find((h) => h.reportId === data.reportId);

  return (
    <Drawer open onClose={onClose} size={860} title={t("evidence.drawerTitle", { name: systemName })}>
      {detail.error && <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />}
      {detail.isPending && <Loading />}
      {data && !report && <Typography.Paragraph>{t("evidence.noReport")}</Typography.Paragraph>}
      {data && report && (
        <>
          <Flex justify="flex-end" gap={8} style={{ marginBottom: 12 }}>
            <Button href={evidenceUrl(systemId, { reportId: data.reportId ?? undefined })} target="_blank" rel="noopener" icon={<ExportOutlined aria-hidden />}>
              {t("evidence.print")}
            </Button>
            <Button href={evidenceUrl(systemId, { reportId: data.reportId ?? undefined, format: "json" })} download>
              JSON
            </Button>
          </Flex>
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("evidence.department")}>{data.system.departmentName}</Descriptions.Item>
            <Descriptions.Item label={t("systems.filingNumber")}>{data.system.filingNumber ?? t("evidence.notFiled")}</Descriptions.Item>
            <Descriptions.Item label={t("systems.level")}>
              <LevelTag level={data.system.level} />
            </Descriptions.Item>
            <Descriptions.Item label={t("systems.zone")}>
              <ZoneTag zone={data.system.zone} />
            </Descriptions.Item>
            <Descriptions.Item label={t("systems.namespace")}>
              <Typography.Text code>{report.system.namespace}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("evidence.controls")}>
              <EvidenceCounts counts={report.summary} />
            </Descriptions.Item>
            <Descriptions.Item label={t("evidence.generatedAt")}>{formatDateTime(shown?.generatedAt ?? report.generatedAt)}</Descriptions.Item>
            <Descriptions.Item label={t("evidence.confirmedAt")}>{formatDateTime(shown?.confirmedAt)}</Descriptions.Item>
          </Descriptions>
          <Table<Control>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={report.controls}
            style={{ marginBottom: 24 }}
            expandable={{
              expandedRowRender: (c) => (
                <>
                  {c.foreign.length > 0 && (
                    <List
                      size="small"
                      header={<Typography.Text type="danger">{t("evidence.foreignTitle")}</Typography.Text>}
                      dataSource={c.foreign}
                      renderItem={(f) => (
                        <List.Item>
                          <Typography.Text code>
                            {f.kind} {f.namespace}/{f.name}
                          </Typography.Text>
                          <Typography.Text type="secondary">{pick(f.why)}</Typography.Text>
                        </List.Item>
                      )}
                    />
                  )}
                  <List
                    size="small"
                    dataSource={c.objects}
                    renderItem={(o) => (
                      <List.Item>
                        <Typography.Text code>
                          {o.kind} {o.namespace ? `${o.namespace}/` : ""}
                          {o.name}
                        </Typography.Text>
                        <Tag color={o.status === "present" ? "success" : "error"}>{t(`evidence.objectStatus.${o.status}`)}</Tag>
                      </List.Item>
                    )}
                  />
                </>
              ),
            }}
            columns={[
              { title: t("security.control"), key: "title", render: (_, c) => pick(c.title) },
              { title: t("evidence.family"), key: "family", responsive: ["lg"], render: (_, c) => pick(c.family) },
              { title: t("evidence.atThisLevel"), key: "summary", render: (_, c) => pick(c.summary) },
              {
                title: t("evidence.standingTitle"),
                key: "status",
                width: 150,
                render: (_, c) => (
                  <>
                    <ControlStatusTag status={c.status} />
                    {c.foreign.length > 0 && (
                      <Typography.Text type="danger" style={{ display: "block", fontSize: 12 }}>
                        {t("evidence.foreignCount", { n: c.foreign.length })}
                      </Typography.Text>
                    )}
                    {c.exemption && (
                      <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
                        {t("evidence.exemptUntil", { date: formatDateTime(c.exemption.expiresAt) })}
                      </Typography.Text>
                    )}
                  </>
                ),
              },
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            {t("evidence.history")}
          </Typography.Title>
          <List
            size="small"
            dataSource={data.history}
            renderItem={(h) => (
              <List.Item
                actions={[
                  <Button key="open" size="small" type={h.reportId === data.reportId ? "primary" : "default"} onClick={() => setReportId(h.reportId)}>
                    {t("evidence.show")}
                  </Button>,
                ]}
              >
                <Flex gap={12} wrap>
                  <span>
                    {formatDateTime(h.generatedAt)} – {formatDateTime(h.confirmedAt)}
                  </span>
                  <EvidenceCounts counts={h} />
                </Flex>
              </List.Item>
            )}
          />
        </>
      )}
    </Drawer>
  );
}
