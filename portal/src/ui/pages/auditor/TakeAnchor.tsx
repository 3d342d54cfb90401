import { CopyOutlined, DownloadOutlined, PushpinOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Descriptions, Flex, Modal, Spin, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Anchor, anchorFileName, anchorFileText } from "../../../shared/anchor.js";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { AUDIT_SEARCH_KEY } from "./keys.js";

/** Saves `text` as a file through the browser's own download. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function AnchorDetails({ anchor }: { anchor: Anchor }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = anchorFileText(anchor);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t("audit.anchor.copied"));
    } catch {
      message.error(t("audit.anchor.copyFailed"));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="anchor-taken" data-seq={anchor.seq}>
      <Alert type="success" showIcon role="status" title={t("audit.anchor.taken", { seq: anchor.seq })} description={t("audit.anchor.keep")} />
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: "fingerprint",
            label: t("audit.anchor.fingerprint"),
            children: (
              <Typography.Text code strong style={{ fontSize: 16 }}>
                {anchor.fingerprint}
              </Typography.Text>
            ),
          },
          { key: "seq", label: t("audit.anchor.seq"), children: anchor.seq },
          {
            key: "hash",
            label: t("audit.anchor.hash"),
            children: (
              <Typography.Text code style={{ wordBreak: "break-all" }}>
                {anchor.hash}
              </Typography.Text>
            ),
          },
          { key: "at", label: t("audit.anchor.at"), children: dayjs(anchor.at).format("YYYY-MM-DD HH:mm:ss") },
          { key: "entries", label: t("audit.anchor.entries"), children: anchor.entries },
        ]}
      />
      <Typography.Text type="secondary">
        {t("audit.anchor.fingerprintHint")} {t("audit.anchor.takeHint")}
      </Typography.Text>
      <Flex gap={8} wrap>
        <Button type="primary" icon={<DownloadOutlined aria-hidden />} onClick={() => download(anchorFileName(anchor), text)}>
          {t("audit.anchor.download")}
        </Button>
        <Button icon={<CopyOutlined aria-hidden />} onClick={() => void copy()}>
          {t("audit.anchor.copy")}
        </Button>
      </Flex>
    </Flex>
  );
}

/** Takes an anchor of the chain's head and shows it in a dialog, to download or copy and keep. */
export function TakeAnchorButton() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const take = useMutation(
    trpc.audit.anchor.mutationOptions({
      // Taking an anchor appends an entry: the banner's count and the trail change.
      onSuccess: () =>
        Promise.all([queryClient.invalidateQueries({ queryKey: trpc.audit.verify.queryKey() }), queryClient.invalidateQueries({ queryKey: AUDIT_SEARCH_KEY })]),
    }),
  );
  const start = () => {
    setOpen(true);
    take.mutate();
  };
  return (
    <>
      <Button icon={<PushpinOutlined aria-hidden />} loading={take.isPending} onClick={start}>
        {t("audit.anchor.take")}
      </Button>
      {open && (
        <Modal
          open
          title={t("audit.anchor.takeTitle")}
          width={680}
          onCancel={() => setOpen(false)}
          footer={<Button onClick={() => setOpen(false)}>{t("common.close")}</Button>}
        >
          {take.isPending && (
            <Flex gap={12} align="center" role="status">
              <Spin size="small" /> {t("audit.anchor.taking")}
            </Flex>
          )}
          {take.error && <ErrorAlert error={take.error} onRetry={() => take.mutate()} />}
          {take.data && <AnchorDetails anchor={take.data} />}
        </Modal>
      )}
    </>
  );
}
