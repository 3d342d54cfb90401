import { CheckCircleOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { formatDateTime, shortHash } from "../../lib/format.js";
import { AUDIT_SEARCH_KEY } from "./keys.js";

type Break = RouterOutputs["audit"]["verify"]["breaks"][number];

/**
 * Every entry that breaks the chain, and the auditor's acknowledgement of each as a known break
 * (with the reason, itself an audit entry). An acknowledged break no longer fails verification.
 */
export function KnownBreaks({ breaks, breakCount }: { breaks: Break[]; breakCount: number }) {
  const { t } = useTranslation();
  const [acknowledging, setAcknowledging] = useState<Break | null>(null);
  if (breaks.length === 0) return null;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t("audit.breaks.title", { count: breakCount })}
      </Typography.Title>
      <Table<Break>
        size="small"
        rowKey="seq"
        data-testid="audit-breaks"
        pagination={false}
        dataSource={breaks}
        style={{ marginBottom: 20 }}
        columns={[
          { title: t("audit.seq"), dataIndex: "seq", width: 90 },
          { title: t("audit.breaks.reason"), key: "reason", render: (_, b) => t(`audit.reason.${b.reason}`) },
          { title: t("audit.breaks.storedHash"), key: "hash", render: (_, b) => <Typography.Text code>{shortHash(b.storedHash)}</Typography.Text> },
          {
            title: t("audit.breaks.status"),
            key: "status",
            render: (_, b) =>
              b.acknowledged ? (
                <span data-testid={`break-${b.seq}-acknowledged`}>
                  <Tag icon={<CheckCircleOutlined aria-hidden />} color="warning">
                    {t("audit.breaks.acknowledged")}
                  </Tag>
                  {t("audit.breaks.acknowledgedBy", { by: b.acknowledged.by, at: formatDateTime(b.acknowledged.at), seq: b.acknowledged.ackSeq })}
                  <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                    {b.acknowledged.reason}
                  </Typography.Paragraph>
                </span>
              ) : (
                <Button danger size="small" data-testid={`break-${b.seq}-acknowledge`} onClick={() => setAcknowledging(b)}>
                  {t("audit.breaks.acknowledge")}
                </Button>
              ),
          },
        ]}
      />
      {acknowledging && <AcknowledgeModal brk={acknowledging} onClose={() => setAcknowledging(null)} />}
    </>
  );
}

function AcknowledgeModal({ brk, onClose }: { brk: Break; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const acknowledge = useMutation(
    trpc.audit.acknowledgeBreak.mutationOptions({
      onSuccess: async () => {
        message.success(t("audit.breaks.done", { seq: brk.seq }));
        await queryClient.invalidateQueries({ queryKey: trpc.audit.verify.queryKey() });
        await queryClient.invalidateQueries({ queryKey: AUDIT_SEARCH_KEY });
        onClose();
      },
    }),
  );
  return (
    <Modal
      open
      title={t("audit.breaks.modalTitle", { seq: brk.seq })}
      okText={t("audit.breaks.confirm")}
      okButtonProps={{ danger: true, loading: acknowledge.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph>{t("audit.breaks.explain")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={({ reason }) => acknowledge.mutate({ seq: brk.seq, reason })}>
        <Form.Item name="reason" label={t("audit.breaks.reasonLabel")} rules={[{ required: true, min: 4, max: 500, message: t("audit.breaks.reasonRule") }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="break-reason" />
        </Form.Item>
      </Form>
      {acknowledge.error && <ErrorAlert error={acknowledge.error} />}
    </Modal>
  );
}
