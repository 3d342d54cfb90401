import { router } from "../../trpc.js";
import { capacity } from "./capacity.js";
import { reclaimExpired } from "./reclaim-expired.js";
import { setCapacity } from "./set-capacity.js";

export const platformRouter = router({ capacity, setCapacity, reclaimExpired });
