import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Flex, Popconfirm, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePolicyCatalog } from "../../api/catalog.js";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useErrorText } from "../../components/useErrorText.js";
import { useBilingual } from "../../lib/bilingual.js";
import { formatDateTime, toTime } from "../../lib/format.js";
import { GrantExemptionModal } from "./GrantExemptionModal.js";

type Exemption = RouterOutputs["exemptions"]["list"]["items"][number];

export default function ExemptionsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [activeOnly, setActiveOnly] = useState(true);
  const [granting, setGranting] = useState(false);
  const list = useInfiniteQuery(
    trpc.exemptions.list.infiniteQueryOptions(
      { activeOnly, limit: 100 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Titles only: an exemption of a control the catalog no longer has still shows its id.
  const catalog = usePolicyCatalog();
  const pick = useBilingual();
  const titles = new Map((catalog.data?.controls ?? []).map((c) => [c.id as string, c.title]));
  const revoke = useMutation(
    trpc.exemptions.revoke.mutationOptions({
      onSuccess: async () => {
        message.success(t("security.revoked"));
        await queryClient.invalidateQueries({ queryKey: trpc.exemptions.pathKey() });
      },
      onError: (err) => {
        const { title, detail } = errorText(err);
        modal.error({ title, content: detail });
      },
    }),
  );
  const now = Date.now();
  return (
    <>
      <PageHeader
        title={t("security.exemptionsTitle")}
        intro={t("security.exemptionsIntro")}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setGranting(true)}>
            {t("security.grant")}
          </Button>
        }
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        <Switch id="active-only" checked={activeOnly} onChange={setActiveOnly} />
        <label htmlFor="active-only">{t("security.activeOnly")}</label>
      </Flex>
      <Table<Exemption>
        rowKey="id"
        loading={list.isPending}
        dataSource={rows}
        pagination={{ pageSize: 15, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("empty.exemptions")} /> }}
        columns={[
          { title: t("requests.system"), dataIndex: "systemName" },
          {
            title: t("security.control"),
            dataIndex: "controlId",
            render: (id: string) => {
              const title = titles.get(id);
              return (
                <Space orientation="vertical" size={0}>
                  {title && <Typography.Text>{pick(title)}</Typography.Text>}
                  <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
                    {id}
                  </Typography.Text>
                </Space>
              );
            },
          },
          {
            title: t("security.reason"),
            dataIndex: "reason",
            render: (r: string) => (
              <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r }} style={{ margin: 0 }}>
                {r}
              </Typography.Paragraph>
            ),
          },
          { title: t("security.grantedBy"), dataIndex: "grantedBy", width: 140 },
          { title: t("security.expiresAt"), dataIndex: "expiresAt", width: 150, render: (d: Exemption["expiresAt"]) => formatDateTime(d) },
          {
            title: t("security.status"),
            key: "status",
            width: 100,
            render: (_, row) =>
              row.revokedAt ? (
                <Tag>{t("security.revoked")}</Tag>
              ) : toTime(row.expiresAt) <= now ? (
                <Tag color="warning">{t("security.expired")}</Tag>
              ) : (
                <Tag color="success">{t("security.active")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            width: 100,
            render: (_, row) =>
              row.revokedAt || toTime(row.expiresAt) <= now ? null : (
                <Popconfirm
                  title={t("security.revokeConfirm")}
                  onConfirm={() => revoke.mutate({ id: row.id })}
                  okText={t("security.revoke")}
                  cancelText={t("common.cancel")}
                >
                  <Button size="small" danger>
                    {t("security.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <LoadMore query={list} shown={rows.length} />
      {granting && <GrantExemptionModal onClose={() => setGranting(false)} />}
    </>
  );
}
