import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IN_FLIGHT_STATES } from "@zhengyun/db/vocabulary";
import { App, Button, Card, Col, Flex, Form, Row, Steps } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { useCurrentUser } from "../../api/current-user.js";
import { describeError } from "../../api/errors.js";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { applyFieldErrors } from "../../lib/forms.js";
import { allowedStorage, egressBlockedBecause } from "../../lib/policy.js";
import { amountOf, overruns, remaining, STORAGE_CLASSES } from "../../lib/resources.js";
import { ComputeStep } from "./wizard/ComputeStep.js";
import { HeadroomPanel } from "./wizard/HeadroomPanel.js";
import { STEP_FIELDS, STEPS, type Step, stepOfField, targetWithSegments, toRequestInput, type WizardValues } from "./wizard/model.js";
import { NetworkStep } from "./wizard/NetworkStep.js";
import { ReviewStep } from "./wizard/ReviewStep.js";
import { StorageStep } from "./wizard/StorageStep.js";
import { TermStep } from "./wizard/TermStep.js";

/** States in which a request still occupies its system (the server allows one at a time). */
const INITIAL: WizardValues = { resources: {}, segmentPrefix: 0, egress: [] };
const FORM_FIELDS = ["systemId", "resources", "segmentPrefix", "egress", "expiresAt", "justification"];

export default function NewRequestPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<WizardValues>();
  const [step, setStep] = useState(0);

  // The department's own systems: one page of the largest size.
  const systems = useQuery(trpc.systems.list.queryOptions({ limit: 1000 }));
  const overview = useQuery(trpc.departments.overview.queryOptions({ id: me.departmentId }));
  const systemId = Form.useWatch("systemId", form);
  const watched = Form.useWatch([], form) as Partial<WizardValues> | undefined;
  const values: WizardValues = { ...INITIAL, ...watched, resources: { ...watched?.resources }, egress: watched?.egress ?? [] };
  const systemDetail = useQuery({ ...trpc.systems.get.queryOptions({ id: systemId ?? "" }), enabled: Boolean(systemId) });
  const inProgress = useQuery({
    ...trpc.requests.list.queryOptions({ systemId: systemId ?? "", states: [...IN_FLIGHT_STATES], limit: 1 }),
    enabled: Boolean(systemId),
  });
  const openRequest = systemId ? inProgress.data?.[0] : undefined;

  const usable = useMemo(() => (systems.data?.items ?? []).filter((s) => !s.retired), [systems.data]);
  const system = usable.find((s) => s.id === systemId);
  const current = systemDetail.data?.granted ?? {};
  const kind = systemDetail.data ? (Object.values(current).some((v) => (v ?? 0) > 0) ? "change" : "new") : undefined;
  const ceiling = overview.data?.ceiling ?? {};
  const held = overview.data?.held ?? {};
  const headroom = { remaining: remaining(ceiling, held), current };
  const target = targetWithSegments(values, system, amountOf(current, "segments"));
  const over = overruns(ceiling, held, target, current);

  // Preselect the system named in the address (from "request resources" on the systems page).
  useEffect(() => {
    const wanted = params.get("system");
    if (wanted && usable.some((s) => s.id === wanted) && !form.getFieldValue("systemId")) form.setFieldValue("systemId", wanted);
  }, [params, usable, form]);

  // A change request starts from what the system holds now; storage classes its level forbids stay at 0.
  useEffect(() => {
    if (!systemDetail.data || !system) return;
    const granted = systemDetail.data.granted;
    const storage = allowedStorage(system.level);
    form.setFieldsValue({
      resources: {
        vcpu: granted.vcpu ?? 0,
        memory_gib: granted.memory_gib ?? 0,
        ...Object.fromEntries(STORAGE_CLASSES.map((r) => [r, storage.includes(r) ? (granted[r] ?? 0) : 0])),
        egress_mbps: egressBlockedBecause(system.zone, system.level) ? 0 : (granted.egress_mbps ?? 0),
      },
    });
  }, [systemDetail.data, system, form]);

  const create = useMutation(
    trpc.requests.create.mutationOptions({
      onSuccess: async (created) => {
        message.success(t(created.state === "draft" ? "wizard.drafted" : "wizard.submitted", { number: created.number }));
        await queryClient.invalidateQueries({ queryKey: trpc.requests.pathKey() });
        navigate(`/requests/${created.id}`);
      },
      onError: (err) => {
        if (applyFieldErrors(form, err, FORM_FIELDS)) {
          const first = describeError(err).fields[0];
          if (first) setStep(STEPS.indexOf(stepOfField(first.field)));
        }
      },
    }),
  );

  const next = async () => {
    const name = STEPS[step];
    if (!name) return;
    try {
      await form.validateFields(STEP_FIELDS[name], { recursive: true });
    } catch {
      return; // the fields show what is wrong
    }
    if (name === "compute" && !values.resources.vcpu && !values.resources.memory_gib) {
      form.setFields([{ name: ["resources", "vcpu"], errors: [t("wizard.computeRequired")] }]);
      return;
    }
    setStep((s) => Math.min(s + 1, STEPS.length - 1));
  };

  const file = async (submit: boolean) => {
    try {
      await form.validateFields(undefined, { recursive: true });
    } catch (err) {
      const missing = (err as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0]?.name;
      if (missing) setStep(STEPS.indexOf(stepOfField(missing.join("."))));
      return;
    }
    if (!system || !kind) return;
    create.mutate(toRequestInput(form.getFieldsValue(true) as WizardValues, system, kind, submit));
  };

  if (systems.isPending || overview.isPending) return <Loading />;
  const stepName: Step = STEPS[step] ?? "compute";

  return (
    <>
      <PageHeader title={t("wizard.title")} intro={t("wizard.intro")} />
      {(systems.error || overview.error) && <ErrorAlert error={systems.error ?? overview.error} />}
      <Row gutter={24}>
        <Col xs={24} xl={16}>
          <Card>
            <Steps
              current={step}
              onChange={(target) => target < step && setStep(target)}
              items={STEPS.map((s) => ({ title: t(`wizard.steps.${s}`) }))}
              style={{ marginBottom: 28 }}
            />
            {create.error && <ErrorAlert error={create.error} />}
            <Form<WizardValues> form={form} layout="vertical" initialValues={INITIAL} name="new-request">
              <div hidden={stepName !== "compute"}>
                <ComputeStep systems={usable} loading={systems.isPending} kind={kind} headroom={headroom} openRequest={openRequest} />
              </div>
              <div hidden={stepName !== "storage"}>
                <StorageStep level={system?.level ?? 1} headroom={headroom} />
              </div>
              <div hidden={stepName !== "network"}>
                <NetworkStep zone={system?.zone ?? "external"} level={system?.level ?? 1} headroom={headroom} />
              </div>
              <div hidden={stepName !== "term"}>
                <TermStep />
              </div>
              {stepName === "review" && system && kind && (
                <ReviewStep values={values} system={system} kind={kind} target={target} egress={toRequestInput(values, system, kind, false).egress} />
              )}
              <Flex gap={8} justify="flex-end" style={{ marginTop: 24 }}>
                {step > 0 && <Button onClick={() => setStep(step - 1)}>{t("wizard.previous")}</Button>}
                {stepName !== "review" ? (
                  <Button type="primary" disabled={Boolean(openRequest)} onClick={() => void next()}>
                    {t("wizard.next")}
                  </Button>
                ) : (
                  <>
                    <Button onClick={() => void file(false)} loading={create.isPending && create.variables?.submit === false}>
                      {t("wizard.saveDraft")}
                    </Button>
                    <Button
                      type="primary"
                      disabled={over.length > 0}
                      onClick={() => void file(true)}
                      loading={create.isPending && create.variables?.submit === true}
                    >
                      {t("wizard.submit")}
                    </Button>
                  </>
                )}
              </Flex>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <HeadroomPanel ceiling={ceiling} held={held} target={target} current={current} />
        </Col>
      </Row>
    </>
  );
}
