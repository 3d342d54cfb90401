import { FileSearchOutlined, UploadOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, App, Button, Flex, Form, Input, Modal, Typography } from "antd";
import type { TFunction } from "i18next";
import { type ChangeEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AnchorInput, parseAnchorText } from "../../../shared/anchor.js";
import { type RouterOutputs, trpcClient } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { shortHash } from "../../lib/format.js";

type Check = RouterOutputs["audit"]["checkAnchor"];
interface Values {
  text?: string;
}

/** The verdict in the reader's language. */
function verdictText(c: Check, t: TFunction): { title: string; detail: string } {
  const k = "audit.anchor.verdict";
  switch (c.verdict) {
    case "intact":
      return { title: t(`${k}.intact`), detail: t(`${k}.intactDetail`, { seq: c.seq, head: c.headSeq, checked: c.checked, added: c.headSeq - c.seq }) };
    case "truncated":
      return { title: t(`${k}.truncated`), detail: t(`${k}.truncatedDetail`, { seq: c.seq, head: c.headSeq, missing: c.seq - c.headSeq }) };
    case "mismatch":
      return {
        title: t(`${k}.mismatch`),
        detail:
          c.found === null ? t(`${k}.missingDetail`, { seq: c.seq, head: c.headSeq }) : t(`${k}.mismatchDetail`, { seq: c.seq, found: shortHash(c.found, 12) }),
      };
    case "broken":
      return { title: t(`${k}.broken`), detail: t(`${k}.brokenDetail`, { seq: c.seq, broken: c.firstBrokenSeq, reason: t(`audit.reason.${c.reason}`) }) };
  }
}

function Verdict({ check }: { check: Check }) {
  const { t } = useTranslation();
  const { title, detail } = verdictText(check, t);
  const ok = check.verdict === "intact";
  return (
    <Alert
      type={ok ? "success" : "error"}
      role={ok ? "status" : "alert"}
      showIcon
      data-testid="anchor-verdict"
      data-verdict={check.verdict}
      title={<span style={{ fontWeight: 600 }}>{title}</span>}
      description={detail}
    />
  );
}

/** The check itself: a kept anchor pasted, typed from a printout, or loaded from its file. */
function CheckAnchorDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const file = useRef<HTMLInputElement>(null);
  const check = useMutation({ mutationFn: (anchor: AnchorInput) => trpcClient.audit.checkAnchor.query(anchor) });

  const load = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    e.target.value = "";
    if (!chosen) return;
    try {
      form.setFieldsValue({ text: await chosen.text() });
    } catch {
      message.error(t("audit.anchor.loadFailed", { name: chosen.name }));
      return;
    }
    check.reset();
    await form.validateFields(["text"]).catch(() => undefined);
  };
  const submit = ({ text }: Values) => {
    const parsed = parseAnchorText(text ?? "");
    if (parsed.ok) check.mutate(parsed.anchor);
  };

  return (
    <Modal
      open
      title={t("audit.anchor.check")}
      width={640}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form<Values> form={form} name="audit-anchor-check" layout="vertical" onFinish={submit} onValuesChange={() => check.reset()}>
          {dom}
        </Form>
      )}
      footer={
        <Flex justify="space-between" gap={8} wrap>
          <Button icon={<UploadOutlined aria-hidden />} onClick={() => file.current?.click()}>
            {t("audit.anchor.load")}
          </Button>
          <Flex gap={8}>
            <Button onClick={onClose}>{t("common.close")}</Button>
            <Button type="primary" htmlType="submit" icon={<FileSearchOutlined aria-hidden />} loading={check.isPending}>
              {t("audit.anchor.checkSubmit")}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t("audit.anchor.checkHint")}</Typography.Paragraph>
      <Form.Item
        name="text"
        label={t("audit.anchor.input")}
        validateTrigger="onBlur"
        rules={[
          {
            validator: (_, value?: string) => {
              const parsed = parseAnchorText(value ?? "");
              return parsed.ok ? Promise.resolve() : Promise.reject(new Error(t(`audit.anchor.problem.${parsed.problem}`)));
            },
          },
        ]}
      >
        <Input.TextArea rows={6} autoFocus placeholder={t("audit.anchor.inputPlaceholder")} spellCheck={false} style={{ fontFamily: "monospace" }} />
      </Form.Item>
      <input
        ref={file}
        type="file"
        accept=".json,application/json,text/plain"
        tabIndex={-1}
        aria-hidden
        style={{ display: "none" }}
        data-testid="anchor-file"
        onChange={(e) => void load(e)}
      />
      {check.error && <ErrorAlert error={check.error} onRetry={() => form.submit()} />}
      {check.data && <Verdict check={check.data} />}
    </Modal>
  );
}

export function CheckAnchorButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<FileSearchOutlined aria-hidden />} onClick={() => setOpen(true)}>
        {t("audit.anchor.check")}
      </Button>
      {open && <CheckAnchorDialog onClose={() => setOpen(false)} />}
    </>
  );
}
