import { Button, Card, Flex, Form, type FormInstance, Row } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface FilterBarProps<V> {
  /** The form's name: its fields' element ids start with it. */
  name: string;
  form: FormInstance<V>;
  onSearch: (values: V) => void;
  /** Called once the fields are cleared. */
  onReset: () => void;
  /** The fields: each a `Col` holding a `Form.Item`. */
  children: ReactNode;
}

/** The search form above a list: its fields in one responsive row, then 重置 / Reset and 搜索 / Search. */
export function FilterBar<V extends object>({ name, form, onSearch, onReset, children }: FilterBarProps<V>) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Form<V> form={form} layout="vertical" name={name} onFinish={onSearch}>
        <Row gutter={12}>{children}</Row>
        <Flex gap={8} justify="flex-end">
          <Button
            onClick={() => {
              form.resetFields();
              onReset();
            }}
          >
            {t("common.reset")}
          </Button>
          <Button type="primary" htmlType="submit">
            {t("common.search")}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}
