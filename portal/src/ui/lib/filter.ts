/** Text match on the request number, system, unit or requester. */
export function matchesFilter(row: { number: number; systemName: string; departmentName: string; requesterName?: string }, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return [`#${row.number}`, String(row.number), row.systemName, row.departmentName, row.requesterName ?? ""].some((v) => v.toLowerCase().includes(q));
}
