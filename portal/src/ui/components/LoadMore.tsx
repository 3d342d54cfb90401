import { Button, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";

/** The foot of a keyset-paged list: "加载更多" while pages follow, "没有更多记录" at the end. */
export function LoadMore({
  query,
  shown,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  shown: number;
}) {
  const { t } = useTranslation();
  if (!query.hasNextPage && shown === 0) return null;
  return (
    <Flex justify="center" style={{ marginTop: 16 }}>
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t("common.loadMore")}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t("common.noMore")}</Typography.Text>
      )}
    </Flex>
  );
}
