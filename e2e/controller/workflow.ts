// The portal's people taking a request through the workflow, for journeys that end on the cluster.

import type { Org } from "@zhengyun/portal/test/harness";

/**
 * Takes a request through every approval it needs, as the people of `org` would; a system still
 * waiting for grading is graded by the security officer at the level its department proposed.
 */
export async function approveAll(org: Org, requestId: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const { state, graded, level, systemId } = await org.as("ops").requests.get({ id: requestId });
    if (state === "submitted") await org.as("deptAdmin").requests.approve({ id: requestId });
    else if (state === "dept_approved") await org.as("ops").requests.approve({ id: requestId });
    else if (state === "ops_approved" && !graded) await org.grade(systemId, level);
    else if (state === "ops_approved") await org.as("security").requests.approve({ id: requestId });
    else return;
  }
}

/** Files and approves a change (new targets) or a release of a system. */
export async function fileAndApprove(org: Org, systemId: string, kind: "change" | "release", resources: Record<string, number> = {}): Promise<string> {
  const req = await org
    .as("applicant")
    .requests.create({ systemId, kind, resources, justification: kind === "release" ? "系统下线，释放资源" : "业务增长，调整配额", submit: true });
  await approveAll(org, req.id);
  return req.id;
}
