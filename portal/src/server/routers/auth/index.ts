import { router } from "../../trpc.js";
import { login } from "./login.js";
import { logout } from "./logout.js";
import { me } from "./me.js";
import { changePassword, setPassword } from "./passwords.js";
import { secondFactor } from "./second-factor.js";
import { totpConfirm, totpSetup } from "./totp.js";

export const authRouter = router({ login, secondFactor, setPassword, totpSetup, totpConfirm, changePassword, logout, me });
