import { ZONE_TITLES } from "../model/level.js";
import type { ForeignObject } from "../observe/foreign.js";
import type { ControlEvidence, ControlStatus, EvidenceObject, EvidenceReport, ObjectStatus } from "./report.js";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const CONTROL_STATUS: Record<ControlStatus, { zh: string; en: string }> = {
  enforced: { zh: "已落实", en: "enforced" },
  exempted: { zh: "豁免中", en: "exempted" },
  drifted: { zh: "偏离", en: "drifted" },
};

const OBJECT_STATUS: Record<ObjectStatus, { zh: string; en: string }> = {
  present: { zh: "存在且未被修改", en: "present, unmodified" },
  missing: { zh: "缺失", en: "missing" },
  modified: { zh: "已被修改", en: "modified" },
};

const LEVEL_NAMES = ["", "第一级", "第二级", "第三级", "第四级"];

function both(text: { zh: string; en: string }): string {
  return `${escapeHtml(text.zh)}<br><span class="en">${escapeHtml(text.en)}</span>`;
}

function objectRow(o: EvidenceObject): string {
  const where = o.namespace ? `${escapeHtml(o.namespace)}/` : "";
  return `<tr class="${o.status}"><td>${escapeHtml(o.kind)}</td><td><code>${where}${escapeHtml(o.name)}</code></td><td>${escapeHtml(o.aspect)}</td><td>${both(OBJECT_STATUS[o.status])}</td><td><code class="hash">${escapeHtml(o.expectedHash.slice(7, 19))}</code></td></tr>`;
}

function foreignList(foreign: readonly ForeignObject[]): string {
  if (foreign.length === 0) return "";
  const items = foreign
    .map((f) => `<li><code>${escapeHtml(f.kind)} ${escapeHtml(f.namespace ?? "")}/${escapeHtml(f.name)}</code>：${both(f.why)}</li>`)
    .join("\n");
  return `<div class="foreign"><p>削弱本控制项的非平台对象 <span class="en">Objects not created by the platform that weaken this control</span></p><ul>${items}</ul></div>`;
}

function controlSection(c: ControlEvidence): string {
  const exemption = c.exemption
    ? `<p class="exemption">豁免至 / exempted until <time>${escapeHtml(c.exemption.expiresAt)}</time>，批准人 / granted by ${escapeHtml(c.exemption.grantedBy)}：${escapeHtml(c.exemption.reason)}</p>`
    : "";
  return `<section class="control ${c.status}">
<h3>${escapeHtml(c.title.zh)} <span class="en">${escapeHtml(c.title.en)}</span> <code>${escapeHtml(c.id)}</code> <span class="badge">${both(CONTROL_STATUS[c.status])}</span></h3>
<dl>
<dt>安全类 / Family</dt><dd>${both(c.family)}</dd>
<dt>要求 / Requirement</dt><dd>${both(c.requirement)}</dd>
<dt>本级要求 / At this level</dt><dd>${both(c.summary)}</dd>
<dt>实现机制 / Mechanism</dt><dd>${c.mechanisms.map(both).join("<br>")}</dd>
</dl>
${exemption}
${foreignList(c.foreign)}
<table><thead><tr><th>类型<br><span class="en">Kind</span></th><th>对象<br><span class="en">Object</span></th><th>比对内容<br><span class="en">Compared</span></th><th>状态<br><span class="en">Status</span></th><th>摘要<br><span class="en">Hash</span></th></tr></thead>
<tbody>${c.objects.map(objectRow).join("\n")}</tbody></table>
</section>`;
}

const STYLE = `body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
.en{color:#666;font-size:.85em}h1,h2,h3{font-weight:600}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}code{font-size:.9em}
tr.missing td,tr.modified td{background:#fde2e2}.badge{font-size:.7em;border:1px solid #888;padding:.1em .4em}
section.drifted .badge{background:#fde2e2}.foreign{background:#fde2e2;padding:.3em}section.exempted .badge{background:#fff4cc}.exemption{background:#fff4cc;padding:.3em}
dl{display:grid;grid-template-columns:10em 1fr;gap:.2em 1em}dt{font-weight:600}
@media print{section{break-inside:avoid}body{margin:0}}`;

/** What the platform knows of the system beyond the cluster: names people recognise, the filing. */
export interface EvidenceContext {
  systemName?: string;
  departmentName?: string;
  /** 备案编号 of the graded system. */
  filingNumber?: string | null;
  /** The latest check that found the cluster as this report describes it. */
  confirmedAt?: string;
}

function contextRows(about: EvidenceContext): string {
  const rows: string[] = [];
  if (about.systemName) rows.push(`<dt>系统名称 / System name</dt><dd>${escapeHtml(about.systemName)}</dd>`);
  if (about.departmentName) rows.push(`<dt>单位名称 / Department name</dt><dd>${escapeHtml(about.departmentName)}</dd>`);
  if (about.filingNumber !== undefined) {
    rows.push(`<dt>备案编号 / Filing number</dt><dd>${about.filingNumber ? escapeHtml(about.filingNumber) : '未备案 <span class="en">not filed</span>'}</dd>`);
  }
  return rows.join("\n");
}

/** A printable, self-contained HTML page of the report: Chinese first, English alongside. */
export function renderEvidenceHtml(report: EvidenceReport, about: EvidenceContext = {}): string {
  const s = report.system;
  const { total, enforced, exempted, drifted } = report.summary;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>等级保护合规证据 ${escapeHtml(s.system)}</title><style>${STYLE}</style></head>
<body>
<h1>等级保护合规证据报告 <span class="en">MLPS 2.0 compliance evidence report</span></h1>
<h2>信息系统 <span class="en">Information system</span></h2>
<dl>
${contextRows(about)}
<dt>系统标识 / System key</dt><dd><code>${escapeHtml(s.system)}</code></dd>
<dt>单位标识 / Department key</dt><dd><code>${escapeHtml(s.department)}</code></dd>
<dt>安全保护等级 / Level</dt><dd>${LEVEL_NAMES[s.level] ?? ""} <span class="en">level ${s.level}</span></dd>
<dt>网络区域 / Zone</dt><dd>${both(ZONE_TITLES[s.zone])}</dd>
<dt>命名空间 / Namespace</dt><dd><code>${escapeHtml(s.namespace)}</code></dd>
<dt>生成时间 / Generated</dt><dd><time>${escapeHtml(report.generatedAt)}</time></dd>
${about.confirmedAt && about.confirmedAt !== report.generatedAt ? `<dt>最近确认 / Last confirmed</dt><dd><time>${escapeHtml(about.confirmedAt)}</time></dd>` : ""}
</dl>
<h2>结论 <span class="en">Summary</span></h2>
<p>共 ${total} 项控制：已落实 ${enforced}，豁免 ${exempted}，偏离 ${drifted}。<br><span class="en">${total} controls: ${enforced} enforced, ${exempted} exempted, ${drifted} drifted.</span></p>
<table><thead><tr><th>命名空间标签<br><span class="en">Namespace labels</span></th><th>状态<br><span class="en">Status</span></th></tr></thead>
<tbody><tr class="${report.namespace.status}"><td><code>${escapeHtml(report.namespace.name)}</code></td><td>${both(OBJECT_STATUS[report.namespace.status])}</td></tr></tbody></table>
<h2>控制项 <span class="en">Controls</span></h2>
${report.controls.map(controlSection).join("\n")}
</body></html>
`;
}
