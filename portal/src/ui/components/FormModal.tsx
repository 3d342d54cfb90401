import { Form, type FormInstance, Modal } from "antd";
import type { ReactNode } from "react";
import { ErrorAlert } from "./ErrorAlert.js";

interface FormModalProps<T> {
  title: ReactNode;
  open: boolean;
  form: FormInstance<T>;
  onCancel: () => void;
  onFinish: (values: T) => void;
  okText?: ReactNode;
  okDanger?: boolean;
  pending?: boolean;
  /** The last failure, shown above the fields in the server's words. */
  error?: unknown;
  initialValues?: Partial<T>;
  width?: number;
  children: ReactNode;
  name: string;
}

/**
 * A dialog whose whole body is one form: Enter submits, the OK button is the submit button, and
 * focus starts in the first field. Mount it only while open (with a fresh `form`), so every
 * opening starts from `initialValues`.
 */
export function FormModal<T extends object>(props: FormModalProps<T>) {
  const { title, open, form, onCancel, onFinish, okText, okDanger, pending, error, initialValues, width, children, name } = props;
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onCancel}
      okText={okText}
      width={width ?? 560}
      destroyOnHidden
      confirmLoading={pending ?? false}
      okButtonProps={{ htmlType: "submit", danger: okDanger ?? false }}
      modalRender={(dom) => (
        <Form<T> form={form} name={name} layout="vertical" initialValues={initialValues} onFinish={onFinish}>
          {dom}
        </Form>
      )}
    >
      {error ? <ErrorAlert error={error} /> : null}
      {children}
    </Modal>
  );
}
