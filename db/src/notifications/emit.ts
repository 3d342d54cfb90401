import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import type { Role } from "../schema/enums.js";
import type { NotificationEvent, NotificationParams } from "./messages.js";

/** Who a fact concerns: named people and/or everyone holding a role (in a department, when given). */
export interface Recipients {
  users?: string[];
  role?: { role: Role; departmentId?: string };
}

export interface Fact {
  event: NotificationEvent;
  /** The department the fact is about: its webhooks hear of it. Null for platform-wide facts. */
  departmentId: string | null;
  params: NotificationParams;
  /** The portal page it is about, e.g. /requests/<id>. */
  link: string;
  /** Names the fact: a person hears of the same fact once, a webhook posts it once. */
  dedupKey: string;
  recipients: Recipients;
  /** Whoever caused the fact is not told of it. */
  actorId?: string | null;
  /** Department webhooks post it (not for facts only the platform's staff act on). */
  webhooks?: boolean;
  at: Date;
}

/**
 * Records a fact for its recipients in the caller's transaction, as their preferences say: a
 * notification in the portal (on unless turned off), a mail to the address they gave (on unless
 * turned off), and a message for each enabled webhook of the department that subscribed to the
 * event. Mail and webhook messages wait in the outbox for the dispatcher. One statement.
 */
export async function notify(tx: DbOrTx, fact: Fact): Promise<void> {
  const users = fact.recipients.users?.filter(Boolean) ?? [];
  const role = fact.recipients.role;
  const byRole = role
    ? sql`select u.id from users u join role_assignments ra on ra.user_id = u.id
          where ra.role = ${role.role} and not u.disabled ${role.departmentId ? sql`and u.department_id = ${role.departmentId}` : sql``}`
    : sql`select null::uuid as id where false`;
  const named = users.length > 0 ? sql`select unnest(string_to_array(${users.join(",")}, ',')::uuid[]) as id` : sql`select null::uuid as id where false`;
  const params = JSON.stringify(fact.params);
  const webhooks = fact.webhooks !== false && fact.departmentId !== null;
  const at = fact.at.toISOString();
  await tx.execute(sql`
    with recipients as (
      select distinct r.id from (${byRole} union ${named}) r
      join users u on u.id = r.id
      where not u.disabled ${fact.actorId ? sql`and r.id <> ${fact.actorId}::uuid` : sql``}
    ),
    portal as (
      insert into notifications (user_id, event, department_id, params, link, dedup_key, created_at)
      select r.id, ${fact.event}, ${fact.departmentId}::uuid, ${params}::jsonb, ${fact.link}, ${fact.dedupKey}, ${at}::timestamptz
      from recipients r
      where not exists (select 1 from notification_preferences p
                        where p.user_id = r.id and p.event = ${fact.event} and p.channel = 'portal' and not p.enabled)
      on conflict do nothing
      returning 1
    ),
    mail as (
      insert into notification_deliveries (channel, user_id, department_id, target, event, params, link, dedup_key, next_attempt_at, created_at, updated_at)
      select 'email', r.id, ${fact.departmentId}::uuid, s.email, ${fact.event}, ${params}::jsonb, ${fact.link}, ${fact.dedupKey},
             ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      from recipients r join notification_settings s on s.user_id = r.id and s.email is not null
      where not exists (select 1 from notification_preferences p
                        where p.user_id = r.id and p.event = ${fact.event} and p.channel = 'email' and not p.enabled)
      on conflict do nothing
      returning 1
    ),
    hooks as (
      insert into notification_deliveries (channel, webhook_id, department_id, target, event, params, link, dedup_key, next_attempt_at, created_at, updated_at)
      select 'webhook', w.id, w.department_id, w.target, ${fact.event}, ${params}::jsonb, ${fact.link}, ${fact.dedupKey},
             ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      from department_webhooks w
      where ${sql.raw(webhooks ? "true" : "false")} and w.department_id = ${fact.departmentId}::uuid and w.enabled and ${fact.event} = any(w.events)
      on conflict do nothing
      returning 1
    )
    select (select count(*) from portal) as portal, (select count(*) from mail) as mail, (select count(*) from hooks) as hooks
  `);
}
