import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

export interface HostAccessParams {
  hostPath: "deny";
  privileged: "deny";
  hostNamespaces: "deny";
  hostPorts: "deny";
}

const DENY_ALL: HostAccessParams = { hostPath: "deny", privileged: "deny", hostNamespaces: "deny", hostPorts: "deny" };

export const HOST_ACCESS_PARAMS: Record<Level, HostAccessParams> = { 1: DENY_ALL, 2: DENY_ALL, 3: DENY_ALL, 4: DENY_ALL };

const PRIVILEGED = "c.?securityContext.?privileged.orValue(false)";
const HOST_PORT = "c.?ports.orValue([]).exists(p, p.?hostPort.orValue(0) != 0)";

export const noHostAccess = defineControl<HostAccessParams>({
  id: "no-host-access",
  order: 70,
  title: { zh: "禁止访问宿主机", en: "No host access" },
  family: "computing-environment",
  requirement: {
    zh: "访问控制与资源隔离：工作负载不得访问宿主机文件系统、特权模式、宿主机命名空间或端口。",
    en: "Access control and isolation: workloads may not use the host filesystem, privileged mode, host namespaces or host ports.",
  },
  mechanisms: ["validating-admission-policy"],
  exemptible: true,
  params: HOST_ACCESS_PARAMS,
  summarize: () => ({
    zh: "禁止 hostPath、特权容器、hostNetwork/hostPID/hostIPC 与 hostPort",
    en: "hostPath, privileged containers, hostNetwork/hostPID/hostIPC and hostPort denied",
  }),
  refusals: () => [refusalTag("no-host-access")],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "no-host-access",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: POD_SPEC_VARIABLES,
        rules: [
          {
            expression: "variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))",
            message: { zh: "禁止 hostPath 卷", en: "hostPath volumes are forbidden" },
            detail: "variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ')",
          },
          {
            expression: `variables.allContainers.all(c, !${PRIVILEGED})`,
            message: { zh: "禁止特权容器", en: "privileged containers are forbidden" },
            detail: `variables.allContainers.filter(c, ${PRIVILEGED}).map(c, c.name).join(', ')`,
          },
          {
            expression:
              "!variables.podSpec.?hostNetwork.orValue(false) && !variables.podSpec.?hostPID.orValue(false) && !variables.podSpec.?hostIPC.orValue(false)",
            message: { zh: "禁止使用宿主机命名空间（hostNetwork/hostPID/hostIPC）", en: "host namespaces (hostNetwork/hostPID/hostIPC) are forbidden" },
          },
          {
            expression: `variables.allContainers.all(c, !${HOST_PORT})`,
            message: { zh: "禁止 hostPort", en: "hostPort is forbidden" },
            detail: `variables.allContainers.filter(c, ${HOST_PORT}).map(c, c.name).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({ level: l.level })),
    ),
});
