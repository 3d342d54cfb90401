/** The steps of a sign-in after the password: second factor, forced password change, enrolment. */
import { KeyOutlined, LockOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Flex, Form, Input, Spin, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { applyFieldErrors } from "../../lib/forms.js";

export type Step = "totp" | "change_password" | "enrol_totp";
export const STEPS: readonly Step[] = ["totp", "change_password", "enrol_totp"];
type Next = "done" | Step;

interface StepProps {
  onNext: (next: Next) => void;
}

export function TotpStep({ onNext }: StepProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const verify = useMutation(
    trpc.auth.secondFactor.mutationOptions({
      onSuccess: (res) => onNext(res.next),
      onError: (err) => {
        applyFieldErrors(form, err, ["code"]);
        form.setFieldValue("code", "");
      },
    }),
  );
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t("login.totpTitle")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("login.totpHint")}</Typography.Paragraph>
      {verify.error && <ErrorAlert error={verify.error} title={t("login.failed")} />}
      <Form<{ code: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => verify.mutate({ code: v.code.trim() })}
        disabled={verify.isPending}
      >
        <Form.Item name="code" label={t("login.totpLabel")} rules={[{ required: true, whitespace: true, message: t("login.totpRequired") }]}>
          <Input prefix={<KeyOutlined aria-hidden />} autoComplete="one-time-code" inputMode="text" autoFocus size="large" maxLength={32} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={verify.isPending}>
          {t("login.totpSubmit")}
        </Button>
      </Form>
    </>
  );
}

interface NewPassword {
  newPassword: string;
  confirm: string;
}

export function ChangePasswordStep({ onNext }: StepProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewPassword>();
  const save = useMutation(
    trpc.auth.setPassword.mutationOptions({
      onSuccess: (res) => onNext(res.next),
      onError: (err) => applyFieldErrors(form, err, ["newPassword"]),
    }),
  );
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t("login.changeTitle")}
      </Typography.Title>
      <Alert type="info" showIcon title={t("login.changeIntro")} description={t("login.passwordRules")} style={{ marginBottom: 16 }} />
      {save.error && <ErrorAlert error={save.error} />}
      <Form<NewPassword>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => save.mutate({ newPassword: v.newPassword })}
        disabled={save.isPending}
      >
        <Form.Item name="newPassword" label={t("login.newPassword")} rules={[{ required: true, message: t("login.newPasswordRequired") }]}>
          <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" autoFocus size="large" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("login.confirmPassword")}
          dependencies={["newPassword"]}
          rules={[
            { required: true, message: t("login.newPasswordRequired") },
            ({ getFieldValue }) => ({
              validator: (_, value) => (value === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("login.mismatch")))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={save.isPending}>
          {t("login.changeSubmit")}
        </Button>
      </Form>
    </>
  );
}

/** Enrolment: a QR code (and the key to type in), confirmed by a first code; then the recovery codes, once. */
export function EnrolStep({ onNext }: StepProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const [recovery, setRecovery] = useState<{ codes: string[]; next: Next } | null>(null);
  const setup = useMutation(trpc.auth.totpSetup.mutationOptions());
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    setup.mutate();
  }, [setup]);
  const confirm = useMutation(
    trpc.auth.totpConfirm.mutationOptions({
      onSuccess: (res) => setRecovery({ codes: res.recoveryCodes, next: res.next }),
      onError: (err) => {
        applyFieldErrors(form, err, ["code"]);
        form.setFieldValue("code", "");
      },
    }),
  );

  if (recovery)
    return (
      <>
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t("login.recoveryTitle")}
        </Typography.Title>
        <Alert type="warning" showIcon title={t("login.recoveryIntro")} style={{ marginBottom: 16 }} />
        <ol data-testid="recovery-codes" style={{ columns: 2, fontFamily: "monospace", fontSize: 15, paddingLeft: 24 }}>
          {recovery.codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <Typography.Paragraph copyable={{ text: recovery.codes.join("\n") }} type="secondary" />
        <Button type="primary" block size="large" onClick={() => onNext(recovery.next)}>
          {t("login.recoveryDone")}
        </Button>
      </>
    );

  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t("login.enrolTitle")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("login.enrolIntro")}</Typography.Paragraph>
      {setup.error && <ErrorAlert error={setup.error} />}
      {setup.isPending && <Spin />}
      {setup.data && (
        <Flex vertical align="center" gap={8} style={{ marginBottom: 16 }}>
          <img src={setup.data.qrDataUrl} alt={t("login.enrolQr")} width={200} height={200} data-testid="totp-qr" />
          <Typography.Text type="secondary">{t("login.enrolManual")}</Typography.Text>
          <Typography.Text code copyable data-testid="totp-secret">
            {setup.data.secret}
          </Typography.Text>
        </Flex>
      )}
      {confirm.error && <ErrorAlert error={confirm.error} />}
      <Form<{ code: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => confirm.mutate({ code: v.code.trim() })}
        disabled={!setup.data || confirm.isPending}
      >
        <Form.Item name="code" label={t("login.totpLabel")} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t("login.enrolCodeRequired") }]}>
          <Input prefix={<KeyOutlined aria-hidden />} autoComplete="one-time-code" inputMode="numeric" size="large" maxLength={6} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={confirm.isPending}>
          {t("login.enrolSubmit")}
        </Button>
      </Form>
    </>
  );
}
