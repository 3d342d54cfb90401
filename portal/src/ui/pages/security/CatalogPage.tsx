import { Alert, Flex, Segmented, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { usePolicyCatalog } from "../../api/catalog.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { CATALOG_LEVELS, isLevel, type Level } from "../../lib/catalog.js";
import { LevelMatrix } from "./catalog/LevelMatrix.js";
import { LevelTable } from "./catalog/LevelTable.js";

type Zone = "internal" | "external";
type View = "level" | "compare";

/** Level, zone and view live in the address, so a view of the catalog can be linked to. */
function useCatalogView() {
  const [params, setParams] = useSearchParams();
  const asLevel = Number(params.get("level"));
  const level: Level = isLevel(asLevel) ? asLevel : 3;
  const zone: Zone = params.get("zone") === "internal" ? "internal" : "external";
  const view: View = params.get("view") === "compare" ? "compare" : "level";
  const set = (change: Partial<{ level: Level; zone: Zone; view: View }>) => {
    const next = { level, zone, view, ...change };
    setParams({ level: String(next.level), zone: next.zone, view: next.view }, { replace: true });
  };
  return { level, zone, view, set };
}

/** The MLPS control catalog per protection level, as the platform enforces it. */
export default function CatalogPage() {
  const { t } = useTranslation();
  const { level, zone, view, set } = useCatalogView();
  const catalog = usePolicyCatalog(zone);
  return (
    <>
      <PageHeader title={t("catalog.title")} intro={t("catalog.intro")} />
      <Flex gap={24} wrap align="center" style={{ marginBottom: 16 }}>
        <Flex gap={8} align="center">
          <Typography.Text id="catalog-level">{t("catalog.level")}</Typography.Text>
          <Segmented<Level>
            aria-labelledby="catalog-level"
            value={level}
            onChange={(l) => set({ level: l })}
            options={CATALOG_LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))}
          />
        </Flex>
        <Flex gap={8} align="center">
          <Typography.Text id="catalog-zone">{t("catalog.zone")}</Typography.Text>
          <Segmented<Zone>
            aria-labelledby="catalog-zone"
            value={zone}
            onChange={(z) => set({ zone: z })}
            options={[
              { value: "internal", label: t("zone.internal") },
              { value: "external", label: t("zone.external") },
            ]}
          />
        </Flex>
      </Flex>
      {zone === "internal" && <Alert type="info" showIcon title={t("catalog.internalNote")} style={{ marginBottom: 16 }} />}
      {catalog.error ? (
        <ErrorAlert error={catalog.error} onRetry={() => void catalog.refetch()} />
      ) : catalog.isPending ? (
        <Loading />
      ) : (
        <Tabs
          activeKey={view}
          onChange={(key) => set({ view: key === "compare" ? "compare" : "level" })}
          items={[
            { key: "level", label: t("catalog.byLevel"), children: <LevelTable catalog={catalog.data} level={level} /> },
            { key: "compare", label: t("catalog.compare"), children: <LevelMatrix catalog={catalog.data} selected={level} /> },
          ]}
        />
      )}
    </>
  );
}
