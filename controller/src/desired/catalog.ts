// The policy catalog as the controller uses it.

export { CONTROL_IDS, type CompiledTenant, type ControlId, compileBaseline, compileTenant, PolicyInputError, type TenantInput } from "@zhengyun/policies";
