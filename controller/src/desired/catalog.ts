// The policy catalog as the controller uses it.

export { CONTROL_IDS, type ControlId, compileBaseline, compileTenant, PolicyInputError, type TenantInput } from "@zhengyun/policies";
