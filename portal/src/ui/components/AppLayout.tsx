import {
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CheckSquareOutlined,
  CloudServerOutlined,
  ExceptionOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  GlobalOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  PieChartOutlined,
  PlusCircleOutlined,
  RobotOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SlidersOutlined,
  StarOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Result, Space, Typography, theme } from "antd";
import { type ReactNode, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useCurrentUser } from "../api/current-user.js";
import { session } from "../api/session.js";
import { trpc } from "../api/trpc.js";
import { activeKey, type NavKey, navFor } from "../lib/nav.js";
import { ChangePasswordModal } from "./ChangePasswordModal.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { Loading } from "./Loading.js";
import { NotificationBell } from "./NotificationBell.js";
import { SignInNotice } from "./SignInNotice.js";
import { RoleTag } from "./tags.js";

const ICONS: Record<NavKey, ReactNode> = {
  tokens: <KeyOutlined aria-hidden />,
  systems: <AppstoreOutlined aria-hidden />,
  newRequest: <PlusCircleOutlined aria-hidden />,
  myRequests: <FileTextOutlined aria-hidden />,
  deptOverview: <PieChartOutlined aria-hidden />,
  deptApprovals: <AuditOutlined aria-hidden />,
  deptRequests: <UnorderedListOutlined aria-hidden />,
  opsApprovals: <CheckSquareOutlined aria-hidden />,
  ceilings: <SlidersOutlined aria-hidden />,
  capacity: <CloudServerOutlined aria-hidden />,
  ratings: <StarOutlined aria-hidden />,
  securityApprovals: <SafetyCertificateOutlined aria-hidden />,
  grading: <SafetyOutlined aria-hidden />,
  exemptions: <ExceptionOutlined aria-hidden />,
  mfaReset: <KeyOutlined aria-hidden />,
  evidence: <FileProtectOutlined aria-hidden />,
  catalog: <BookOutlined aria-hidden />,
  egressLog: <GlobalOutlined aria-hidden />,
  audit: <FileSearchOutlined aria-hidden />,
  users: <TeamOutlined aria-hidden />,
  notifications: <BellOutlined aria-hidden />,
  webhooks: <ApiOutlined aria-hidden />,
  usageReport: <BarChartOutlined aria-hidden />,
  opsUsage: <BarChartOutlined aria-hidden />,
  autoRules: <RobotOutlined aria-hidden />,
};

function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const departments = useQuery({ ...trpc.departments.list.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  const dept = departments.data?.items.find((d) => d.id === me.departmentId);
  const deptName = dept ? (i18n.language === "en" ? dept.nameEn : dept.name) : "";
  const [changingPassword, setChangingPassword] = useState(false);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        session.markSignedOut();
        navigate("/login?signedOut=1", { replace: true });
        queryClient.clear();
      },
    }),
  );
  return (
    <>
      <Dropdown
        trigger={["click"]}
        menu={{
          items: [
            {
              key: "who",
              type: "group",
              label: (
                <Space orientation="vertical" size={4}>
                  <Typography.Text type="secondary">{deptName}</Typography.Text>
                  <Space size={4} wrap>
                    {me.roles.map((r) => (
                      <RoleTag key={r} role={r} />
                    ))}
                  </Space>
                </Space>
              ),
            },
            { type: "divider" },
            { key: "password", icon: <LockOutlined aria-hidden />, label: t("account.changePassword"), onClick: () => setChangingPassword(true) },
            { key: "logout", icon: <LogoutOutlined aria-hidden />, label: t("app.logout"), onClick: () => logout.mutate() },
          ],
        }}
      >
        <Button type="text" aria-label={`${t("app.signedInAs")} ${me.displayName}`} data-testid="user-menu" style={{ height: 40 }}>
          <Space>
            <Avatar size="small" icon={<UserOutlined aria-hidden />} />
            <span>{me.displayName}</span>
          </Space>
        </Button>
      </Dropdown>
      {changingPassword && <ChangePasswordModal onClose={() => setChangingPassword(false)} />}
    </>
  );
}

/** Header, role-based menu and the page area; pages load lazily inside it. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const location = useLocation();
  const { token } = theme.useToken();
  const items = navFor(me.roles);
  const selected = activeKey(location.pathname, items);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <a href="#main" className="zy-skip-link">
        {t("app.skipToContent")}
      </a>
      <Layout.Header
        style={{
          display: "flex",
          alignItems: "center",
          gap: 16,
          paddingInline: 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Link to="/" style={{ display: "flex", alignItems: "center", gap: 10, color: "inherit" }}>
          <span aria-hidden className="zy-logo">
            政
          </span>
          <Typography.Text strong style={{ fontSize: 17 }}>
            {t("app.name")}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 14 }}>
            {t("app.title")}
          </Typography.Text>
        </Link>
        <Flex flex={1} justify="flex-end" align="center" gap={16}>
          <LanguageSwitch />
          <NotificationBell />
          <UserMenu />
        </Flex>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={220} theme="light" breakpoint="lg" collapsedWidth={0} style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}>
          <nav aria-label={t("app.mainMenu")}>
            <Menu
              mode="inline"
              selectedKeys={selected ? [selected] : []}
              style={{ borderInlineEnd: 0, paddingTop: 8 }}
              items={items.map((item) => ({ key: item.key, icon: ICONS[item.key], label: <Link to={item.path}>{t(`nav.${item.key}`)}</Link> }))}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <main id="main" tabIndex={-1} style={{ outline: "none", maxWidth: 1400 }}>
            <SignInNotice />
            {items.length === 0 ? (
              <Result status="info" title={t("app.noRoles")} />
            ) : (
              <Suspense fallback={<Loading />}>
                <Outlet />
              </Suspense>
            )}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
