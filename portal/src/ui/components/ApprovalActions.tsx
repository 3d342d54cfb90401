import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Space, Tooltip } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../api/trpc.js";
import { applyFieldErrors } from "../lib/forms.js";
import { FormModal } from "./FormModal.js";

interface Target {
  id: string;
  number: number;
  systemName: string;
  kind: "new" | "change" | "release";
}

/** After a decision the queues, the request and the quota figures all change. */
function useRefreshAfterDecision() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([trpc.requests.pathKey(), trpc.departments.pathKey(), trpc.platform.pathKey()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

function ApproveDialog({ request, onClose }: { request: Target; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterDecision();
  const [form] = Form.useForm<{ note?: string }>();
  const approve = useMutation(
    trpc.requests.approve.mutationOptions({
      onSuccess: async (res) => {
        if (res.autoApproval?.approved) message.success(t("approval.approvedByRule", { number: request.number, rule: res.autoApproval.ruleName }));
        else
          message.success(
            t(res.awaitingGrading && res.state === "ops_approved" ? "approval.approvedAwaitingGrading" : "approval.approved", { number: request.number }),
          );
        onClose();
        await refresh();
      },
    }),
  );
  return (
    <FormModal<{ note?: string }>
      name={`approve-${request.id}`}
      title={t("approval.approveTitle", { number: request.number })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => approve.mutate({ id: request.id, note: v.note?.trim() ? v.note.trim() : null })}
      okText={t("approval.approve")}
      pending={approve.isPending}
      error={approve.error}
    >
      {request.kind === "release" && (
        <Alert type="warning" showIcon title={t("release.approveWarning", { name: request.systemName })} style={{ marginBottom: 16 }} />
      )}
      <Form.Item name="note" label={`${t("approval.note")} ${t("common.optional")}`}>
        <Input.TextArea rows={3} maxLength={1000} showCount autoFocus />
      </Form.Item>
    </FormModal>
  );
}

function RejectDialog({ request, onClose }: { request: Target; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterDecision();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useMutation(
    trpc.requests.reject.mutationOptions({
      onSuccess: async () => {
        message.success(t("approval.rejected", { number: request.number }));
        onClose();
        await refresh();
      },
      onError: (err) => applyFieldErrors(form, err, ["reason"]),
    }),
  );
  return (
    <FormModal<{ reason: string }>
      name={`reject-${request.id}`}
      title={t("approval.rejectTitle", { number: request.number })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => reject.mutate({ id: request.id, reason: v.reason.trim() })}
      okText={t("approval.reject")}
      okDanger
      pending={reject.isPending}
      error={reject.error}
    >
      <Form.Item
        name="reason"
        label={t("approval.reason")}
        rules={[{ required: true, whitespace: true, min: 2, max: 2000, message: t("approval.reasonRequired") }]}
      >
        <Input.TextArea rows={3} maxLength={2000} showCount autoFocus />
      </Form.Item>
    </FormModal>
  );
}

/**
 * Approve (with an optional note) or reject (with a reason the applicant sees). `gradeFirst`: the
 * approval would start provisioning but the system is not graded, so approving waits for grading.
 */
export function ApprovalActions({ request, size = "small", gradeFirst = false }: { request: Target; size?: "small" | "middle"; gradeFirst?: boolean }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<"approve" | "reject" | null>(null);
  const label = `#${request.number} ${request.systemName}`;
  const close = () => setDialog(null);
  return (
    <>
      <Space size={4}>
        <Tooltip title={gradeFirst ? t("approval.gradeFirst") : undefined}>
          <Button
            type="primary"
            size={size}
            icon={<CheckOutlined aria-hidden />}
            disabled={gradeFirst}
            onClick={() => setDialog("approve")}
            aria-label={`${t("approval.approve")} ${label}`}
          >
            {t("approval.approve")}
          </Button>
        </Tooltip>
        <Button danger size={size} icon={<CloseOutlined aria-hidden />} onClick={() => setDialog("reject")} aria-label={`${t("approval.reject")} ${label}`}>
          {t("approval.reject")}
        </Button>
      </Space>
      {dialog === "approve" && <ApproveDialog request={request} onClose={close} />}
      {dialog === "reject" && <RejectDialog request={request} onClose={close} />}
    </>
  );
}
