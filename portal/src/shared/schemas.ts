/** zod schemas shared by the server's procedures and the UI's forms. */

import { REQUEST_STATES, RESOURCES, ROLES, ZONES } from "@zhengyun/db/schema/enums";
import { egressErrorMessage, formatEgressHost, parseEgressHost } from "@zhengyun/policies/egress-allowlist";
import { z } from "zod";

export const id = z.uuid({ message: "must be a valid id" });
export const level = z.number().int().min(1, "protection level is 1–4").max(4, "protection level is 1–4");
export const zone = z.enum(ZONES);
export const role = z.enum(ROLES);
export const requestState = z.enum(REQUEST_STATES);
export const resource = z.enum(RESOURCES);

const amount = (max: number) => z.number().int("must be a whole number").min(0, "must not be negative").max(max, `must be at most ${max}`);

/** Target amounts per resource for a system (segments are counted from the segment asked for). */
export const requestedResources = z
  .object({
    vcpu: amount(4096),
    memory_gib: amount(65536),
    storage_standard_gib: amount(1_048_576),
    storage_ssd_gib: amount(1_048_576),
    storage_encrypted_gib: amount(1_048_576),
    egress_mbps: amount(100_000),
  })
  .partial()
  .strict();

/** Amounts per resource as reported (outputs). */
export const quantities = z.partialRecord(resource, z.number());
/** Amounts per resource as set by ops (ceilings, capacity). */
export const quantityLimits = z.partialRecord(resource, z.number().int("must be a whole number").min(0, "must not be negative").max(1_000_000_000));

/** An allow-list destination host (see @zhengyun/policies/egress-allowlist); stored in its canonical form. */
const egressHost = z
  .string()
  .max(253, "at most 253 characters")
  .transform((value, ctx) => {
    const parsed = parseEgressHost(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: egressErrorMessage(parsed.error) });
      return z.NEVER;
    }
    return formatEgressHost(parsed.value);
  });

export const egressDestination = z.object({
  host: egressHost,
  port: z
    .number()
    .int("端口应为整数 / a port is a whole number")
    .min(1, "端口应为 1–65535 / a port is 1–65535")
    .max(65535, "端口应为 1–65535 / a port is 1–65535"),
});

export const systemInput = z.object({
  name: z.string().trim().min(2, "at least 2 characters").max(100),
  purpose: z.string().trim().min(2, "describe what the system is for").max(2000),
  level,
  zone,
});

export const requestInput = z.object({
  systemId: id,
  kind: z.enum(["new", "change", "release"]),
  resources: requestedResources.default({}),
  segmentPrefix: z.number().int().min(24, "segments are /24 to /28").max(28, "segments are /24 to /28").nullable().default(null),
  egress: z.array(egressDestination).max(50).default([]),
  expiresAt: z.coerce.date().nullable().default(null),
  justification: z.string().trim().min(4, "explain why the resources are needed").max(4000),
  submit: z.boolean().default(false),
});

export const username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, "lower-case letters, digits, . _ -");
