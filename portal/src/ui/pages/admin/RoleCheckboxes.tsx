import { Checkbox, Flex, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { conflictingRoles, EXCLUSIVE_ROLES, ROLES, type Role } from "../../lib/roles.js";

interface RoleCheckboxesProps {
  value?: Role[];
  onChange?: (roles: Role[]) => void;
  id?: string;
}

/**
 * One checkbox per role. Holding one of system admin / security officer / auditor disables the
 * other two (三员分立); the server enforces the same rule.
 */
export function RoleCheckboxes({ value = [], onChange, id }: RoleCheckboxesProps) {
  const { t } = useTranslation();
  const blocked = conflictingRoles(value);
  const toggle = (role: Role, on: boolean) => onChange?.(on ? [...value, role] : value.filter((r) => r !== role));
  return (
    <Flex vertical gap={6} id={id} role="group">
      {ROLES.map((role) => {
        const disabled = blocked.has(role) && !value.includes(role);
        const box = (
          <Checkbox key={role} checked={value.includes(role)} disabled={disabled} onChange={(e) => toggle(role, e.target.checked)}>
            {t(`role.${role}`)}
            {EXCLUSIVE_ROLES.includes(role) && <Typography.Text type="secondary"> ★</Typography.Text>}
          </Checkbox>
        );
        return disabled ? (
          <Tooltip key={role} title={t("users.exclusive")}>
            <span>{box}</span>
          </Tooltip>
        ) : (
          box
        );
      })}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        ★ {t("users.exclusive")}
      </Typography.Text>
    </Flex>
  );
}
