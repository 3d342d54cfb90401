// The province seed's organisation: Jiangsu's provincial departments and, in each of its thirteen
// cities, the same forty-eight municipal bureaus (640 departments), and the shape of the 5,000
// systems they run: protection levels as a province files them (most at level 2 and 3), both zones.

export const PROVINCE_SYSTEM_COUNT = 5000;

/** Provincial departments (省级部门); the first one runs the platform. */
const PROVINCIAL = [
  ["sjj", "江苏省数据局", "Provincial Data Bureau"],
  ["fgw", "江苏省发展和改革委员会", "Provincial Development and Reform Commission"],
  ["gat", "江苏省公安厅", "Provincial Public Security Department"],
  ["czt", "江苏省财政厅", "Provincial Finance Department"],
  ["rst", "江苏省人力资源和社会保障厅", "Provincial Human Resources and Social Security Department"],
  ["zrzyt", "江苏省自然资源厅", "Provincial Natural Resources Department"],
  ["stt", "江苏省生态环境厅", "Provincial Ecology and Environment Department"],
  ["zjt", "江苏省住房和城乡建设厅", "Provincial Housing and Urban-Rural Development Department"],
  ["jtt", "江苏省交通运输厅", "Provincial Transport Department"],
  ["slt", "江苏省水利厅", "Provincial Water Resources Department"],
  ["nynct", "江苏省农业农村厅", "Provincial Agriculture and Rural Affairs Department"],
  ["swt", "江苏省商务厅", "Provincial Commerce Department"],
  ["wjw", "江苏省卫生健康委员会", "Provincial Health Commission"],
  ["jyt", "江苏省教育厅", "Provincial Education Department"],
  ["scjgj", "江苏省市场监督管理局", "Provincial Market Supervision Administration"],
  ["ybj", "江苏省医疗保障局", "Provincial Healthcare Security Administration"],
] as const;

const CITIES = [
  ["nj", "南京市", "Nanjing"],
  ["wx", "无锡市", "Wuxi"],
  ["xz", "徐州市", "Xuzhou"],
  ["cz", "常州市", "Changzhou"],
  ["sz", "苏州市", "Suzhou"],
  ["nt", "南通市", "Nantong"],
  ["lyg", "连云港市", "Lianyungang"],
  ["ha", "淮安市", "Huai'an"],
  ["yc", "盐城市", "Yancheng"],
  ["yz", "扬州市", "Yangzhou"],
  ["zj", "镇江市", "Zhenjiang"],
  ["tz", "泰州市", "Taizhou"],
  ["sq", "宿迁市", "Suqian"],
] as const;

/** The municipal bureaus every city has (48). */
const BUREAUS = [
  ["sjj", "数据局", "Data Bureau"],
  ["fgw", "发展和改革委员会", "Development and Reform Commission"],
  ["gxj", "工业和信息化局", "Industry and Information Technology Bureau"],
  ["jyj", "教育局", "Education Bureau"],
  ["kjj", "科学技术局", "Science and Technology Bureau"],
  ["gaj", "公安局", "Public Security Bureau"],
  ["mzj", "民政局", "Civil Affairs Bureau"],
  ["sfj", "司法局", "Justice Bureau"],
  ["czj", "财政局", "Finance Bureau"],
  ["rsj", "人力资源和社会保障局", "Human Resources and Social Security Bureau"],
  ["zrzyj", "自然资源和规划局", "Natural Resources and Planning Bureau"],
  ["sthjj", "生态环境局", "Ecology and Environment Bureau"],
  ["zjj", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"],
  ["cgj", "城市管理局", "Urban Management Bureau"],
  ["jtysj", "交通运输局", "Transport Bureau"],
  ["slj", "水利局", "Water Resources Bureau"],
  ["nyncj", "农业农村局", "Agriculture and Rural Affairs Bureau"],
  ["swj", "商务局", "Commerce Bureau"],
  ["wglj", "文化广电和旅游局", "Culture, Radio, Television and Tourism Bureau"],
  ["wjw", "卫生健康委员会", "Health Commission"],
  ["tyjrj", "退役军人事务局", "Veterans Affairs Bureau"],
  ["yjglj", "应急管理局", "Emergency Management Bureau"],
  ["sjj2", "审计局", "Audit Bureau"],
  ["gzw", "国有资产监督管理委员会", "State-owned Assets Supervision Commission"],
  ["scjgj", "市场监督管理局", "Market Supervision Administration"],
  ["tjj", "统计局", "Statistics Bureau"],
  ["ybj", "医疗保障局", "Healthcare Security Bureau"],
  ["xfj", "信访局", "Public Complaints and Proposals Bureau"],
  ["xzspj", "行政审批局", "Administrative Approval Bureau"],
  ["zwfw", "政务服务管理办公室", "Government Services Office"],
  ["lyj", "林业局", "Forestry Bureau"],
  ["rfb", "人民防空办公室", "Civil Air Defence Office"],
  ["dzj", "地震局", "Earthquake Bureau"],
  ["qxj", "气象局", "Meteorological Bureau"],
  ["swj2", "税务局", "Taxation Bureau"],
  ["gjj", "住房公积金管理中心", "Housing Provident Fund Centre"],
  ["dag", "档案馆", "Archives"],
  ["tyj", "体育局", "Sports Bureau"],
  ["lsj", "粮食和物资储备局", "Grain and Reserves Bureau"],
  ["jgswj", "机关事务管理局", "Government Offices Administration"],
  ["mzzjj", "民族宗教事务局", "Ethnic and Religious Affairs Bureau"],
  ["wsj", "外事办公室", "Foreign Affairs Office"],
  ["bb", "机构编制委员会办公室", "Establishment Committee Office"],
  ["ylj", "医疗卫生服务中心", "Medical Services Centre"],
  ["ggzy", "公共资源交易中心", "Public Resources Trading Centre"],
  ["rmt", "融媒体中心", "Media Centre"],
  ["yzj", "邮政管理局", "Postal Administration"],
  ["dsj", "大数据管理中心", "Big Data Centre"],
] as const;

export interface SeedDepartment {
  code: string;
  name: string;
  nameEn: string;
}

/** 16 provincial departments and 13 cities × 48 bureaus: 640 departments, the platform's first. */
export function provinceDepartments(): SeedDepartment[] {
  const out: SeedDepartment[] = PROVINCIAL.map(([code, name, nameEn]) => ({ code: `js-${code}`, name, nameEn }));
  for (const [city, cityName, cityEn] of CITIES)
    for (const [code, name, nameEn] of BUREAUS) out.push({ code: `${city}-${code}`, name: `${cityName}${name}`, nameEn: `${cityEn} ${nameEn}` });
  return out;
}

/** A province's filing mix: 10 % level 1, 45 % level 2, 40 % level 3, 5 % level 4. */
export function provinceLevel(i: number): number {
  const r = (i * 37) % 100;
  return r < 10 ? 1 : r < 55 ? 2 : r < 95 ? 3 : 4;
}

/** How the first requests of systems filed over the past year and a half ended. */
export const SETTLED = ["active", "active", "active", "active", "active", "active", "active", "active", "rejected", "active", "withdrawn", "active"] as const;
export type Settled = (typeof SETTLED)[number];

/** The workflow stages the newest requests wait in. */
export const IN_FLIGHT = ["provisioning", "ops_approved", "dept_approved", "submitted", "submitted", "draft"] as const;
export type InFlight = (typeof IN_FLIGHT)[number];

/** The share of systems whose first request is still in flight (the newest ones). */
export const IN_FLIGHT_SHARE = 0.07;
