import { Alert, Form, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { RouterOutputs } from "../../../api/trpc.js";
import { LevelTag, type RequestKind, type RequestState, ZoneTag } from "../../../components/tags.js";
import { stateKey } from "../../../lib/wording.js";
import { type Headroom, ResourceField } from "./ResourceField.js";

type SystemRow = RouterOutputs["systems"]["list"]["items"][number];

interface ComputeStepProps {
  systems: SystemRow[];
  loading: boolean;
  kind: "new" | "change" | undefined;
  headroom: Headroom;
  /** A request of the chosen system still in progress: the server allows one at a time. */
  openRequest: { id: string; number: number; state: RequestState; kind: RequestKind } | undefined;
}

export function ComputeStep({ systems, loading, kind, headroom, openRequest }: ComputeStepProps) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="systemId" label={t("wizard.system")} rules={[{ required: true, message: t("wizard.systemRequired") }]}>
        <Select
          showSearch={{ optionFilterProp: "title" }}
          loading={loading}
          placeholder={t("wizard.systemPlaceholder")}
          notFoundContent={<Link to="/systems">{t("wizard.noSystems")}</Link>}
          options={systems.map((s) => ({
            value: s.id,
            title: s.name,
            label: (
              <Space>
                <span>{s.name}</span>
                <LevelTag level={s.level} />
                <ZoneTag zone={s.zone} />
              </Space>
            ),
          }))}
        />
      </Form.Item>
      {openRequest ? (
        <Alert
          type="warning"
          showIcon
          title={t("wizard.openRequest", { number: openRequest.number, state: t(stateKey(openRequest.state, openRequest.kind)) })}
          action={<Link to={`/requests/${openRequest.id}`}>{t("wizard.viewOpenRequest")}</Link>}
          style={{ marginBottom: 16 }}
        />
      ) : (
        kind && <Alert type="info" showIcon title={t(kind === "new" ? "wizard.kindNew" : "wizard.kindChange")} style={{ marginBottom: 16 }} />
      )}
      <Space size={24} wrap>
        <ResourceField resource="vcpu" headroom={headroom} required max={4096} />
        <ResourceField resource="memory_gib" headroom={headroom} required max={65536} />
      </Space>
    </>
  );
}
