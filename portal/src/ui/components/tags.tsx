import { SyncOutlined } from "@ant-design/icons";
import { Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import type { Role } from "../lib/roles.js";
import { stateKey } from "../lib/wording.js";

export type RequestState =
  | "draft"
  | "submitted"
  | "dept_approved"
  | "ops_approved"
  | "security_approved"
  | "provisioning"
  | "active"
  | "failed"
  | "rejected"
  | "withdrawn"
  | "expired";

const STATE_COLOR: Record<RequestState, string> = {
  draft: "default",
  submitted: "processing",
  dept_approved: "processing",
  ops_approved: "purple",
  security_approved: "purple",
  provisioning: "cyan",
  active: "success",
  failed: "error",
  rejected: "error",
  withdrawn: "default",
  expired: "warning",
};

export type RequestKind = "new" | "change" | "release";

/** A request's state; a release reads "releasing" and "released" where a grant reads "provisioning" and "active". */
export function StateTag({ state, kind = "new" }: { state: RequestState; kind?: RequestKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} icon={state === "provisioning" ? <SyncOutlined aria-hidden spin /> : undefined} data-state={state}>
      {t(stateKey(state, kind))}
    </Tag>
  );
}

/** New, change or release; a release stands out, since it deletes what the system runs. */
export function KindTag({ kind }: { kind: RequestKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={kind === "release" ? "volcano" : "default"} data-kind={kind}>
      {t(`kind.${kind}`)}
    </Tag>
  );
}

const LEVEL_COLOR = { 1: "green", 2: "blue", 3: "orange", 4: "red" } as const;

export function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  const key = String(Math.min(4, Math.max(1, level))) as "1" | "2" | "3" | "4";
  return (
    <Tooltip title={t(`levelHint.${key}`)}>
      <Tag color={LEVEL_COLOR[Number(key) as 1 | 2 | 3 | 4]} data-level={level}>
        {t(`level.${key}`)}
      </Tag>
    </Tooltip>
  );
}

/** "待定级": the system's level is only proposed, so nothing of it is provisioned yet. */
export function AwaitingGradingTag() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t("systems.awaitingGradingHint")}>
      <Tag color="gold" data-graded="false">
        {t("systems.awaitingGrading")}
      </Tag>
    </Tooltip>
  );
}

export function ZoneTag({ zone }: { zone: "internal" | "external" }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`zoneHint.${zone}`)}>
      <Tag color={zone === "internal" ? "geekblue" : "gold"} data-zone={zone}>
        {t(`zone.${zone}`)}
      </Tag>
    </Tooltip>
  );
}

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <Tag>{t(`role.${role}`)}</Tag>;
}

const PHASES = ["pending", "reconciling", "ready", "stalled", "releasing", "released"] as const;
type Phase = (typeof PHASES)[number];
const isPhase = (p: string): p is Phase => (PHASES as readonly string[]).includes(p);
const PHASE_COLOR: Record<Phase, string> = {
  pending: "default",
  reconciling: "processing",
  ready: "success",
  stalled: "error",
  releasing: "warning",
  released: "default",
};

export function PhaseTag({ phase }: { phase: string | null }) {
  const { t } = useTranslation();
  if (!phase) return <Tag>{t("systems.noResources")}</Tag>;
  return <Tag color={isPhase(phase) ? PHASE_COLOR[phase] : "default"}>{isPhase(phase) ? t(`phase.${phase}`) : phase}</Tag>;
}
