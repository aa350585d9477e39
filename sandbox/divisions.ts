/**
 * Just enough of China's administrative divisions (行政区划) for plausible
 * sandbox records: every province with its abbreviation and capital, and
 * Henan's cities and districts in detail, since the hub's first courts are in
 * Henan. Divisions the table does not know fall back to the province capital.
 */
import type { SeededRandom } from "./seededRandom.js";

export interface Locality {
  /** 6-digit division code of the district or county. */
  divisionCode: string;
  provinceName: string;
  /** One-character abbreviation used on plates, certificates and court codes (豫). */
  provinceAbbr: string;
  cityName: string;
  /** District or county name; empty when only the city is known. */
  districtName: string;
  /** Letter after the province abbreviation on local plates. */
  plateLetter: string;
  /** Typical second-hand residential price, yuan per m², for appraisals. */
  pricePerSquareMetre: number;
}

interface Province {
  name: string;
  abbr: string;
  capital: string;
  capitalDivision: string;
}

const PROVINCES: Record<string, Province> = {
  "11": { name: "北京市", abbr: "京", capital: "北京市", capitalDivision: "110105" },
  "12": { name: "天津市", abbr: "津", capital: "天津市", capitalDivision: "120101" },
  "13": { name: "河北省", abbr: "冀", capital: "石家庄市", capitalDivision: "130102" },
  "14": { name: "山西省", abbr: "晋", capital: "太原市", capitalDivision: "140105" },
  "15": { name: "内蒙古自治区", abbr: "蒙", capital: "呼和浩特市", capitalDivision: "150102" },
  "21": { name: "辽宁省", abbr: "辽", capital: "沈阳市", capitalDivision: "210102" },
  "22": { name: "吉林省", abbr: "吉", capital: "长春市", capitalDivision: "220102" },
  "23": { name: "黑龙江省", abbr: "黑", capital: "哈尔滨市", capitalDivision: "230102" },
  "31": { name: "上海市", abbr: "沪", capital: "上海市", capitalDivision: "310101" },
  "32": { name: "江苏省", abbr: "苏", capital: "南京市", capitalDivision: "320102" },
  "33": { name: "浙江省", abbr: "浙", capital: "杭州市", capitalDivision: "330102" },
  "34": { name: "安徽省", abbr: "皖", capital: "合肥市", capitalDivision: "340102" },
  "35": { name: "福建省", abbr: "闽", capital: "福州市", capitalDivision: "350102" },
  "36": { name: "江西省", abbr: "赣", capital: "南昌市", capitalDivision: "360102" },
  "37": { name: "山东省", abbr: "鲁", capital: "济南市", capitalDivision: "370102" },
  "41": { name: "河南省", abbr: "豫", capital: "郑州市", capitalDivision: "410105" },
  "42": { name: "湖北省", abbr: "鄂", capital: "武汉市", capitalDivision: "420102" },
  "43": { name: "湖南省", abbr: "湘", capital: "长沙市", capitalDivision: "430102" },
  "44": { name: "广东省", abbr: "粤", capital: "广州市", capitalDivision: "440103" },
  "45": { name: "广西壮族自治区", abbr: "桂", capital: "南宁市", capitalDivision: "450102" },
  "46": { name: "海南省", abbr: "琼", capital: "海口市", capitalDivision: "460105" },
  "50": { name: "重庆市", abbr: "渝", capital: "重庆市", capitalDivision: "500103" },
  "51": { name: "四川省", abbr: "川", capital: "成都市", capitalDivision: "510104" },
  "52": { name: "贵州省", abbr: "贵", capital: "贵阳市", capitalDivision: "520102" },
  "53": { name: "云南省", abbr: "云", capital: "昆明市", capitalDivision: "530102" },
  "54": { name: "西藏自治区", abbr: "藏", capital: "拉萨市", capitalDivision: "540102" },
  "61": { name: "陕西省", abbr: "陕", capital: "西安市", capitalDivision: "610102" },
  "62": { name: "甘肃省", abbr: "甘", capital: "兰州市", capitalDivision: "620102" },
  "63": { name: "青海省", abbr: "青", capital: "西宁市", capitalDivision: "630102" },
  "64": { name: "宁夏回族自治区", abbr: "宁", capital: "银川市", capitalDivision: "640104" },
  "65": { name: "新疆维吾尔自治区", abbr: "新", capital: "乌鲁木齐市", capitalDivision: "650102" },
};

interface HenanCity {
  name: string;
  plateLetter: string;
  pricePerSquareMetre: number;
  districts: Record<string, string>;
}

const HENAN_CITIES: Record<string, HenanCity> = {
  "4101": {
    name: "郑州市",
    plateLetter: "A",
    pricePerSquareMetre: 13000,
    districts: {
      "410102": "中原区",
      "410103": "二七区",
      "410104": "管城回族区",
      "410105": "金水区",
      "410106": "上街区",
      "410108": "惠济区",
      "410122": "中牟县",
      "410181": "巩义市",
      "410182": "荥阳市",
      "410183": "新密市",
      "410184": "新郑市",
      "410185": "登封市",
    },
  },
  "4102": {
    name: "开封市",
    plateLetter: "B",
    pricePerSquareMetre: 6500,
    districts: {
      "410202": "龙亭区",
      "410203": "顺河回族区",
      "410204": "鼓楼区",
      "410205": "禹王台区",
      "410212": "祥符区",
      "410221": "杞县",
      "410222": "通许县",
      "410223": "尉氏县",
      "410225": "兰考县",
    },
  },
  "4103": {
    name: "洛阳市",
    plateLetter: "C",
    pricePerSquareMetre: 8000,
    districts: {
      "410302": "老城区",
      "410303": "西工区",
      "410304": "瀍河回族区",
      "410305": "涧西区",
      "410311": "洛龙区",
      "410323": "新安县",
      "410324": "栾川县",
      "410325": "嵩县",
      "410327": "宜阳县",
    },
  },
  "4104": {
    name: "平顶山市",
    plateLetter: "D",
    pricePerSquareMetre: 5500,
    districts: {
      "410402": "新华区",
      "410403": "卫东区",
      "410411": "湛河区",
      "410421": "宝丰县",
      "410422": "叶县",
      "410425": "郏县",
      "410481": "舞钢市",
      "410482": "汝州市",
    },
  },
  "4105": {
    name: "安阳市",
    plateLetter: "E",
    pricePerSquareMetre: 5800,
    districts: {
      "410502": "文峰区",
      "410503": "北关区",
      "410505": "殷都区",
      "410506": "龙安区",
      "410522": "安阳县",
      "410523": "汤阴县",
      "410526": "滑县",
      "410581": "林州市",
    },
  },
  "4106": {
    name: "鹤壁市",
    plateLetter: "F",
    pricePerSquareMetre: 4800,
    districts: { "410602": "鹤山区", "410603": "山城区", "410611": "淇滨区", "410621": "浚县", "410622": "淇县" },
  },
  "4107": {
    name: "新乡市",
    plateLetter: "G",
    pricePerSquareMetre: 6000,
    districts: {
      "410702": "红旗区",
      "410703": "卫滨区",
      "410704": "凤泉区",
      "410711": "牧野区",
      "410721": "新乡县",
      "410724": "获嘉县",
      "410725": "原阳县",
      "410781": "卫辉市",
      "410782": "辉县市",
    },
  },
  "4108": {
    name: "焦作市",
    plateLetter: "H",
    pricePerSquareMetre: 5600,
    districts: {
      "410802": "解放区",
      "410803": "中站区",
      "410804": "马村区",
      "410811": "山阳区",
      "410821": "修武县",
      "410822": "博爱县",
      "410823": "武陟县",
      "410882": "沁阳市",
      "410883": "孟州市",
    },
  },
  "4109": {
    name: "濮阳市",
    plateLetter: "J",
    pricePerSquareMetre: 5200,
    districts: { "410902": "华龙区", "410922": "清丰县", "410923": "南乐县", "410926": "范县", "410927": "台前县", "410928": "濮阳县" },
  },
  "4110": {
    name: "许昌市",
    plateLetter: "K",
    pricePerSquareMetre: 6200,
    districts: { "411002": "魏都区", "411003": "建安区", "411024": "鄢陵县", "411025": "襄城县", "411081": "禹州市", "411082": "长葛市" },
  },
  "4111": {
    name: "漯河市",
    plateLetter: "L",
    pricePerSquareMetre: 5400,
    districts: { "411102": "源汇区", "411103": "郾城区", "411104": "召陵区", "411121": "舞阳县", "411122": "临颍县" },
  },
  "4112": {
    name: "三门峡市",
    plateLetter: "M",
    pricePerSquareMetre: 5000,
    districts: { "411202": "湖滨区", "411203": "陕州区", "411221": "渑池县", "411224": "卢氏县", "411281": "义马市", "411282": "灵宝市" },
  },
  "4113": {
    name: "南阳市",
    plateLetter: "R",
    pricePerSquareMetre: 6300,
    districts: {
      "411302": "宛城区",
      "411303": "卧龙区",
      "411321": "南召县",
      "411322": "方城县",
      "411323": "西峡县",
      "411325": "内乡县",
      "411381": "邓州市",
    },
  },
  "4114": {
    name: "商丘市",
    plateLetter: "N",
    pricePerSquareMetre: 5900,
    districts: { "411402": "梁园区", "411403": "睢阳区", "411421": "民权县", "411422": "睢县", "411423": "宁陵县", "411481": "永城市" },
  },
  "4115": {
    name: "信阳市",
    plateLetter: "S",
    pricePerSquareMetre: 6100,
    districts: { "411502": "浉河区", "411503": "平桥区", "411521": "罗山县", "411522": "光山县", "411524": "商城县", "411525": "固始县" },
  },
  "4116": {
    name: "周口市",
    plateLetter: "P",
    pricePerSquareMetre: 5700,
    districts: {
      "411602": "川汇区",
      "411603": "淮阳区",
      "411621": "扶沟县",
      "411622": "西华县",
      "411623": "商水县",
      "411625": "郸城县",
      "411628": "鹿邑县",
      "411681": "项城市",
    },
  },
  "4117": {
    name: "驻马店市",
    plateLetter: "Q",
    pricePerSquareMetre: 5600,
    districts: {
      "411702": "驿城区",
      "411721": "西平县",
      "411722": "上蔡县",
      "411723": "平舆县",
      "411724": "正阳县",
      "411725": "确山县",
      "411726": "泌阳县",
      "411727": "汝南县",
      "411728": "遂平县",
      "411729": "新蔡县",
    },
  },
  "4190": {
    name: "济源市",
    plateLetter: "U",
    pricePerSquareMetre: 5800,
    districts: { "419001": "济源市" },
  },
};

const OTHER_PROVINCE_PRICE = 9000;

function henanLocality(cityPrefix: string, divisionCode: string): Locality {
  const city = HENAN_CITIES[cityPrefix];
  const districtName = city.districts[divisionCode] ?? "";
  return {
    divisionCode,
    provinceName: "河南省",
    provinceAbbr: "豫",
    cityName: city.name,
    districtName: districtName === city.name ? "" : districtName,
    plateLetter: city.plateLetter,
    pricePerSquareMetre: city.pricePerSquareMetre,
  };
}

/**
 * Where a division code points. Codes the table does not know exactly are
 * placed in a known district of the same city (or the province capital), drawn
 * from `random` so the choice is stable per debtor.
 */
export function localityOf(divisionCode: string, random: SeededRandom): Locality {
  const cityPrefix = divisionCode.slice(0, 4);
  const henanCity = HENAN_CITIES[cityPrefix];
  if (henanCity) {
    const known = henanCity.districts[divisionCode] ? divisionCode : random.pick(Object.keys(henanCity.districts));
    return henanLocality(cityPrefix, known);
  }
  const province = PROVINCES[divisionCode.slice(0, 2)] ?? PROVINCES["41"];
  if (province === PROVINCES["41"]) return randomHenanLocality(random);
  const municipality = province.capital === province.name;
  return {
    divisionCode: province.capitalDivision,
    provinceName: municipality ? "" : province.name,
    provinceAbbr: province.abbr,
    cityName: province.capital,
    districtName: "",
    plateLetter: "A",
    pricePerSquareMetre: OTHER_PROVINCE_PRICE,
  };
}

export function randomHenanLocality(random: SeededRandom): Locality {
  const cityPrefix = random.pick(Object.keys(HENAN_CITIES));
  return henanLocality(cityPrefix, random.pick(Object.keys(HENAN_CITIES[cityPrefix].districts)));
}

/** Counties and county-level cities keep their own registries and courts; city districts share the city's. */
export function isCountyLevel(locality: Locality): boolean {
  return /[县市]$/.test(locality.districtName);
}

/** "河南省开封市兰考县", the prefix of every address in the locality. */
export function regionName(locality: Locality): string {
  return locality.provinceName + locality.cityName + locality.districtName;
}

/**
 * The court that handles the locality's enforcement cases and its code as used
 * in case numbers: the basic court (豫0225) when the district is known, else
 * the city's intermediate court (苏01).
 */
export function localCourtOf(locality: Locality): { name: string; code: string } {
  if (!locality.districtName) {
    return { name: `${locality.cityName}中级人民法院`, code: locality.provinceAbbr + locality.divisionCode.slice(2, 4) };
  }
  const name = isCountyLevel(locality) ? `${locality.districtName}人民法院` : `${locality.cityName}${locality.districtName}人民法院`;
  return { name, code: locality.provinceAbbr + locality.divisionCode.slice(2) };
}
