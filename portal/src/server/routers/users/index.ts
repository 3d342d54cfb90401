import { router } from "../../trpc.js";
import { create } from "./create.js";
import { list } from "./list.js";
import { resetMfa } from "./reset-mfa.js";
import { resetPassword } from "./reset-password.js";
import { setRoles } from "./set-roles.js";
import { setSso } from "./set-sso.js";
import { setStatus } from "./set-status.js";

export const usersRouter = router({ list, create, setRoles, setStatus, resetPassword, resetMfa, setSso });
