import { z } from "zod";
import { CONTROL_IDS } from "./control.js";
import { LEVELS, ZONES } from "./level.js";
import { isIntegerQuantity } from "./quantity.js";

export const STORAGE_CLASSES = ["standard", "ssd", "encrypted"] as const;
export type StorageClassName = (typeof STORAGE_CLASSES)[number];

const dnsLabel = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label (lower case letters, digits, "-")');
const quantity = z.string().refine(isIntegerQuantity, 'must be an integer Kubernetes quantity, e.g. "8", "500m", "16Gi"');
const level = z.literal(LEVELS);

export const tenantQuotaSchema = z.object({
  /** CPU cores (limits and requests), e.g. "8". */
  cpu: quantity,
  /** Memory (limits and requests), e.g. "16Gi". */
  memory: quantity,
  /** Maximum number of pods. */
  pods: z.number().int().min(0).default(50),
  /** Storage per class; a class that is absent gets no storage. */
  storage: z.partialRecord(z.enum(STORAGE_CLASSES), quantity).default({}),
  /** NodePorts approved for the system (only honoured where the level allows them). */
  nodePorts: z.number().int().min(0).default(0),
  /** LoadBalancer services approved for the system (only honoured where the level allows them). */
  loadBalancers: z.number().int().min(0).default(0),
});
export type TenantQuota = z.output<typeof tenantQuotaSchema>;

/** A time-bound exemption of one control for one system, granted by a security officer. */
export const exemptionSchema = z.object({
  control: z.enum(CONTROL_IDS),
  expiresAt: z.date(),
  grantedBy: z.string().min(1),
  reason: z.string().min(1),
});
export type Exemption = z.output<typeof exemptionSchema>;

const port = z.object({
  protocol: z.enum(["TCP", "UDP"]),
  port: z.number().int().min(1).max(65535),
});

/**
 * An explicitly allowed flow between this system and a peer system. A flow that
 * crosses zones, or goes from a lower to a higher level, needs `approvedBy`
 * (the approving security officer); others are plain department decisions.
 */
export const flowGrantSchema = z.object({
  direction: z.enum(["ingress", "egress"]),
  peer: z.object({ system: dnsLabel, zone: z.enum(ZONES), level }),
  ports: z.array(port).min(1),
  approvedBy: z.string().min(1).optional(),
});
export type FlowGrant = z.output<typeof flowGrantSchema>;

export const tenantInputSchema = z.object({
  /** The information system's slug; also the namespace name unless `namespace` is given. */
  system: dnsLabel,
  department: dnsLabel,
  level,
  zone: z.enum(ZONES),
  namespace: dnsLabel.optional(),
  quota: tenantQuotaSchema,
  exemptions: z.array(exemptionSchema).default([]),
  flows: z.array(flowGrantSchema).default([]),
  /** Level 3 external-zone systems: destinations allowed through the unified egress. */
  egressAllowList: z.array(z.string().min(1)).default([]),
  /** The reconcile time: exemptions that expired by then are not compiled. */
  now: z.date(),
});
export type TenantInput = z.input<typeof tenantInputSchema>;
export type ParsedTenantInput = z.output<typeof tenantInputSchema>;
