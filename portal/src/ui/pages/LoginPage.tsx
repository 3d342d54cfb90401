import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Divider, Flex, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { session } from "../api/session.js";
import { trpc } from "../api/trpc.js";
import { ErrorAlert } from "../components/ErrorAlert.js";
import { LanguageSwitch } from "../components/LanguageSwitch.js";
import { applyFieldErrors } from "../lib/forms.js";
import { ChangePasswordStep, EnrolStep, STEPS, type Step, TotpStep } from "./login/SignInSteps.js";

const SSO_ERRORS = ["sso_state", "sso_no_account", "sso_failed", "sso_unavailable"] as const;
type SsoError = (typeof SSO_ERRORS)[number];
const isSsoError = (v: string | null): v is SsoError => v !== null && (SSO_ERRORS as readonly string[]).includes(v);

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ssoError = params.get("error");
  // An SSO sign-in that still needs a step arrives with ?step=…
  const given = params.get("step");
  const [step, setStep] = useState<Step | "password">(STEPS.includes(given as Step) ? (given as Step) : "password");
  const onNext = (next: Step | "done") => {
    if (next !== "done") return setStep(next);
    // Nothing cached for whoever used this tab before may show to the new person.
    queryClient.clear();
    session.markSignedIn();
    navigate(safeNext(params.get("next")), { replace: true });
  };
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (res) => onNext(res.next),
      onError: (err) => {
        applyFieldErrors(form, err, ["username", "password"]);
        form.setFieldValue("password", "");
      },
    }),
  );

  return (
    <div className="zy-login-bg">
      <Flex vertical gap={16} style={{ width: 400, maxWidth: "100%" }}>
        <Flex justify="space-between" align="center">
          <Flex align="center" gap={10}>
            <span aria-hidden className="zy-logo">
              政
            </span>
            <div>
              <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
                {t("app.name")} · {t("app.title")}
              </Typography.Title>
              <Typography.Text type="secondary">{t("app.subtitle")}</Typography.Text>
            </div>
          </Flex>
        </Flex>
        <Card>
          <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t("login.title")}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          {step === "totp" && <TotpStep onNext={onNext} />}
          {step === "change_password" && <ChangePasswordStep onNext={onNext} />}
          {step === "enrol_totp" && <EnrolStep onNext={onNext} />}
          {step !== "password" && (
            <Button type="link" block style={{ marginTop: 8 }} onClick={() => setStep("password")}>
              {t("login.restart")}
            </Button>
          )}
          {step === "password" && (
            <>
              {params.get("expired") && <Alert type="warning" showIcon title={t("login.expired")} style={{ marginBottom: 16 }} />}
              {params.get("signedOut") && <Alert type="success" showIcon title={t("login.signedOut")} style={{ marginBottom: 16 }} />}
              {isSsoError(ssoError) && <Alert type="error" showIcon title={t(`login.error.${ssoError}`)} style={{ marginBottom: 16 }} />}
              {login.error && <ErrorAlert error={login.error} title={t("login.failed")} />}
              <Form<Credentials> form={form} layout="vertical" requiredMark={false} onFinish={(values) => login.mutate(values)} disabled={login.isPending}>
                <Form.Item name="username" label={t("login.username")} rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}>
                  <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
                </Form.Item>
                <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
                  <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
                  {t("login.submit")}
                </Button>
              </Form>
              <Divider plain>{t("login.or")}</Divider>
              {/* A full navigation: the server redirects to the identity provider and back. */}
              <Button block size="large" icon={<SafetyCertificateOutlined aria-hidden />} href="/auth/oidc/login">
                {t("login.sso")}
              </Button>
            </>
          )}
        </Card>
        <Typography.Text type="secondary" style={{ textAlign: "center", fontSize: 12 }}>
          {t("login.footer")}
        </Typography.Text>
      </Flex>
    </div>
  );
}
