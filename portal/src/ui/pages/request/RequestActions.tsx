import { RollbackOutlined, SendOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/current-user.js";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ApprovalActions } from "../../components/ApprovalActions.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormModal } from "../../components/FormModal.js";
import type { RequestState } from "../../components/tags.js";
import type { Role } from "../../lib/roles.js";

type Detail = RouterOutputs["requests"]["get"];

const OPEN: RequestState[] = ["draft", "submitted", "dept_approved", "ops_approved"];
const STAGE_ROLE: Partial<Record<RequestState, Role>> = { submitted: "dept_admin", dept_approved: "ops", ops_approved: "security" };

function WithdrawDialog({ request, onClose }: { request: Detail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const withdraw = useMutation(
    trpc.requests.withdraw.mutationOptions({
      onSuccess: async () => {
        message.success(t("requests.withdrawn"));
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.requests.pathKey() });
      },
    }),
  );
  return (
    <FormModal<{ reason?: string }>
      name="withdraw"
      title={t("requests.withdrawTitle", { number: request.number })}
      open
      form={form}
      onCancel={onClose}
      onFinish={(v) => withdraw.mutate({ id: request.id, reason: v.reason?.trim() ? v.reason.trim() : null })}
      okText={t("requests.withdraw")}
      okDanger
      pending={withdraw.isPending}
      error={withdraw.error}
    >
      <Form.Item name="reason" label={`${t("requests.withdrawReason")} ${t("common.optional")}`}>
        <Input.TextArea rows={3} maxLength={1000} autoFocus />
      </Form.Item>
    </FormModal>
  );
}

/** What the signed-in person may do with this request now: approve, submit a draft, withdraw. */
export function RequestActions({ request }: { request: Detail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [withdrawing, setWithdrawing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.requests.pathKey() });

  const submit = useMutation(
    trpc.requests.submit.mutationOptions({
      onSuccess: async () => {
        message.success(t("requests.draftSubmitted"));
        await refresh();
      },
    }),
  );
  const approverRole = STAGE_ROLE[request.state];
  const mayApprove = approverRole !== undefined && me.roles.includes(approverRole) && request.requesterId !== me.id;
  const isRequester = request.requesterId === me.id;
  const mayWithdraw =
    OPEN.includes(request.state) &&
    ((isRequester && me.roles.includes("applicant")) || (me.roles.includes("dept_admin") && me.departmentId === request.departmentId));
  if (!mayApprove && !mayWithdraw && !(request.state === "draft" && isRequester)) return null;

  return (
    <>
      {submit.error && <ErrorAlert error={submit.error} />}
      <Space wrap>
        {mayApprove && <ApprovalActions request={request} size="middle" gradeFirst={request.state === "ops_approved" && !request.graded} />}
        {request.state === "draft" && isRequester && (
          <Button type="primary" icon={<SendOutlined aria-hidden />} loading={submit.isPending} onClick={() => submit.mutate({ id: request.id })}>
            {t("requests.submitDraft")}
          </Button>
        )}
        {mayWithdraw && (
          <Button icon={<RollbackOutlined aria-hidden />} onClick={() => setWithdrawing(true)}>
            {t("requests.withdraw")}
          </Button>
        )}
      </Space>
      {withdrawing && <WithdrawDialog request={request} onClose={() => setWithdrawing(false)} />}
    </>
  );
}
