import type { Quantities } from "@zhengyun/db/quantities";

/** Departments of the Yangzhou municipal government (扬州市) used by the demo seed. */
export const DEMO_DEPARTMENTS = [
  { code: "sjj", name: "扬州市数据局", nameEn: "Municipal Data Bureau" },
  { code: "fgw", name: "扬州市发展和改革委员会", nameEn: "Development and Reform Commission" },
  { code: "sthjj", name: "扬州市生态环境局", nameEn: "Ecology and Environment Bureau" },
  { code: "sw", name: "国家税务总局扬州市税务局", nameEn: "Taxation Bureau" },
  { code: "gaj", name: "扬州市公安局", nameEn: "Public Security Bureau" },
  { code: "rsj", name: "扬州市人力资源和社会保障局", nameEn: "Human Resources and Social Security Bureau" },
  { code: "wjw", name: "扬州市卫生健康委员会", nameEn: "Health Commission" },
  { code: "jyj", name: "扬州市教育局", nameEn: "Education Bureau" },
  { code: "zjj", name: "扬州市住房和城乡建设局", nameEn: "Housing and Urban-Rural Development Bureau" },
  { code: "scjgj", name: "扬州市市场监督管理局", nameEn: "Market Supervision Administration" },
  { code: "jtysj", name: "扬州市交通运输局", nameEn: "Transport Bureau" },
  { code: "mzj", name: "扬州市民政局", nameEn: "Civil Affairs Bureau" },
] as const;

export const SYSTEM_NAMES = [
  ["政务服务网上办事大厅", "为市民和企业提供网上办事服务"],
  ["内部协同办公系统", "部门内部公文流转与协同办公"],
  ["数据共享交换平台", "跨部门数据共享与交换"],
  ["业务审批管理系统", "行政审批业务受理与办理"],
  ["监测预警平台", "业务数据监测、分析与预警"],
  ["档案管理系统", "电子档案归档与查询"],
  ["统计分析系统", "业务统计报表与分析"],
  ["移动执法系统", "现场执法与移动办案"],
] as const;

export const DEFAULT_CEILING: Quantities = {
  vcpu: 256,
  memory_gib: 1024,
  storage_standard_gib: 20_000,
  storage_ssd_gib: 10_000,
  storage_encrypted_gib: 20_000,
  segments: 16,
  egress_mbps: 1000,
};

export const CLUSTER_CAPACITY: Quantities = {
  vcpu: 20_000,
  memory_gib: 80_000,
  storage_standard_gib: 2_000_000,
  storage_ssd_gib: 1_000_000,
  storage_encrypted_gib: 2_000_000,
  segments: 4096,
  egress_mbps: 100_000,
};

export const ZONE_POOLS = { internal: "10.128.0.0/12", external: "10.64.0.0/12" } as const;

/** The password of every demo account (demo data only; change or disable in production). */
export const DEMO_PASSWORD = "Zhengyun@2026";
