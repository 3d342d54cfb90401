import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormModal } from "../../components/FormModal.js";
import { PageHeader } from "../../components/PageHeader.js";

interface RuleForm {
  departmentId: string;
  name: string;
  enabled: boolean;
  maxLevel: number;
  requireHeadroom: boolean;
  maxGrowthPct: number | null;
  minUsagePct: number | null;
  minUsageDays: number | null;
}

/** Ops' auto-approval rules per department. */
export default function AutoRulesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.autoRules.list.queryOptions());
  const departments = useQuery(trpc.departments.list.queryOptions({ limit: 1000 }));
  type Rule = NonNullable<typeof rules.data>[number];
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const [form] = Form.useForm<RuleForm>();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.autoRules.pathKey() });
  const save = useMutation(
    trpc.autoRules.save.mutationOptions({
      onSuccess: () => {
        void message.success(t("autoRules.saved"));
        setEditing(null);
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.autoRules.remove.mutationOptions({ onSuccess: refresh }));
  const conditions = (r: Rule) => (
    <Space size={4} wrap>
      <Tag>{t("autoRules.levelUpTo", { n: r.maxLevel })}</Tag>
      {r.requireHeadroom ? <Tag>{t("autoRules.headroom")}</Tag> : null}
      {r.maxGrowthPct !== null ? <Tag>{t("autoRules.growth", { n: r.maxGrowthPct })}</Tag> : null}
      {r.minUsagePct !== null ? <Tag>{t("autoRules.usage", { pct: r.minUsagePct, days: r.minUsageDays })}</Tag> : null}
    </Space>
  );
  return (
    <>
      <PageHeader
        title={t("autoRules.title")}
        intro={t("autoRules.intro")}
        extra={
          <Button type="primary" onClick={() => setEditing("new")}>
            {t("autoRules.add")}
          </Button>
        }
      />
      {rules.error ? <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} /> : null}
      {remove.error ? <ErrorAlert error={remove.error} /> : null}
      <Table<Rule>
        size="small"
        rowKey="id"
        loading={rules.isPending}
        dataSource={rules.data ?? []}
        pagination={false}
        locale={{ emptyText: t("autoRules.none") }}
        columns={[
          { title: t("autoRules.department"), key: "d", render: (_: unknown, r: Rule) => (i18n.language === "en" ? r.departmentNameEn : r.departmentName) },
          { title: t("autoRules.name"), dataIndex: "name" },
          {
            title: t("autoRules.enabled"),
            key: "e",
            render: (_: unknown, r: Rule) => (r.enabled ? <Tag color="green">{t("autoRules.on")}</Tag> : <Tag>{t("autoRules.off")}</Tag>),
          },
          { title: t("autoRules.conditions"), key: "c", render: (_: unknown, r: Rule) => conditions(r) },
          {
            title: "",
            key: "a",
            render: (_: unknown, r: Rule) => (
              <Space>
                <Button size="small" onClick={() => setEditing(r)}>
                  {t("autoRules.edit")}
                </Button>
                <Popconfirm title={t("autoRules.removeConfirm", { name: r.name })} onConfirm={() => remove.mutate({ id: r.id })}>
                  <Button size="small" danger>
                    {t("autoRules.remove")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing ? (
        <FormModal<RuleForm>
          name="auto-rule"
          title={editing === "new" ? t("autoRules.add") : t("autoRules.edit")}
          open
          form={form}
          pending={save.isPending}
          error={save.error}
          onCancel={() => setEditing(null)}
          initialValues={
            editing === "new"
              ? { enabled: false, maxLevel: 2, requireHeadroom: true, maxGrowthPct: 50, minUsagePct: null, minUsageDays: null }
              : {
                  departmentId: editing.departmentId,
                  name: editing.name,
                  enabled: editing.enabled,
                  maxLevel: editing.maxLevel,
                  requireHeadroom: editing.requireHeadroom,
                  maxGrowthPct: editing.maxGrowthPct,
                  minUsagePct: editing.minUsagePct,
                  minUsageDays: editing.minUsageDays,
                }
          }
          onFinish={(v) =>
            save.mutate({
              ...(editing === "new" ? {} : { id: editing.id }),
              ...v,
              maxGrowthPct: v.maxGrowthPct ?? null,
              minUsagePct: v.minUsagePct ?? null,
              minUsageDays: v.minUsageDays ?? null,
            })
          }
        >
          <Form.Item name="departmentId" label={t("autoRules.department")} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: i18n.language === "en" ? d.nameEn : d.name }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t("autoRules.name")} rules={[{ required: true, max: 64 }]}>
            <Input />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="enabled" label={t("autoRules.enabled")} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="maxLevel" label={t("autoRules.maxLevel")}>
              <Select style={{ width: 100 }} options={[1, 2].map((n) => ({ value: n, label: n }))} />
            </Form.Item>
            <Form.Item name="requireHeadroom" label={t("autoRules.requireHeadroom")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Space size="large" wrap>
            <Form.Item name="maxGrowthPct" label={t("autoRules.maxGrowthPct")}>
              <InputNumber min={0} max={1000} />
            </Form.Item>
            <Form.Item name="minUsagePct" label={t("autoRules.minUsagePct")}>
              <InputNumber min={0} max={100} />
            </Form.Item>
            <Form.Item name="minUsageDays" label={t("autoRules.minUsageDays")}>
              <InputNumber min={1} max={90} />
            </Form.Item>
          </Space>
        </FormModal>
      ) : null}
    </>
  );
}
