/** Session and lockout policy (MLPS 2.0 安全计算环境: 登录失败处理, 连接超时自动退出). */
export interface AuthPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3600_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
};

export const SESSION_COOKIE = "zy_session";
