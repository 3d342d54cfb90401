import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Rate, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { formatDateTime } from "../../lib/format.js";
import { applyFieldErrors } from "../../lib/forms.js";

interface RatingCardProps {
  requestId: string;
  rating: { score: number; comment: string; createdAt: Date | string } | null;
  canRate: boolean;
}

/** The requester's 1–5 rating of a completed request; low scores surface to ops. */
export function RatingCard({ requestId, rating, canRate }: RatingCardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ score: number; comment?: string }>();
  const rate = useMutation(
    trpc.requests.rate.mutationOptions({
      onSuccess: async () => {
        message.success(t("rating.thanks"));
        await queryClient.invalidateQueries({ queryKey: trpc.requests.get.queryKey({ id: requestId }) });
      },
      onError: (err) => applyFieldErrors(form, err, ["score", "comment"]),
    }),
  );
  if (rating)
    return (
      <Card size="small" title={t("rating.yours")} data-testid="rating">
        <Rate disabled value={rating.score} />
        <Typography.Paragraph style={{ margin: "8px 0 0", whiteSpace: "pre-wrap" }}>{rating.comment}</Typography.Paragraph>
        <Typography.Text type="secondary">{formatDateTime(rating.createdAt)}</Typography.Text>
      </Card>
    );
  if (!canRate) return null;
  return (
    <Card size="small" title={t("rating.title")} data-testid="rating">
      <Typography.Paragraph type="secondary">{t("rating.prompt")}</Typography.Paragraph>
      {rate.error && <ErrorAlert error={rate.error} />}
      <Form form={form} layout="vertical" name="rate" onFinish={(v) => rate.mutate({ id: requestId, score: v.score, comment: v.comment?.trim() ?? "" })}>
        <Form.Item name="score" label={t("rating.score")} rules={[{ required: true, message: t("rating.scoreRequired") }]}>
          <Rate aria-label={t("rating.score")} />
        </Form.Item>
        <Form.Item name="comment" label={`${t("rating.comment")} ${t("common.optional")}`}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("rating.commentPlaceholder")} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={rate.isPending}>
          {t("rating.submit")}
        </Button>
      </Form>
    </Card>
  );
}
