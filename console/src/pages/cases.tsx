/** 长期未结案件: cases open more than three and six months (三个月未执结案件予以警示). */
import { useState } from "react";
import { usePoll } from "../api";
import { name, STATUS_NAMES, time } from "../labels";
import { DataTable, Refused } from "../table";

interface OpenCase {
  caseNumber: string;
  courtCode: string;
  status: string;
  creditorName: string;
  claimAmount: string;
  registeredAt: string;
  daysOpen: number;
}

const FIELDS = "caseNumber courtCode status creditorName claimAmount registeredAt daysOpen";
const CASES = `query { three: casesOpenLongerThan(months: 3) { ${FIELDS} } six: casesOpenLongerThan(months: 6) { ${FIELDS} } }`;

export function CasesPage() {
  const [months, setMonths] = useState<"three" | "six">("three");
  const cases = usePoll<{ three: OpenCase[]; six: OpenCase[] }>(CASES, {}, 10_000);
  return (
    <>
      <div className="toolbar">
        <h1>长期未结案件</h1>
      </div>
      <Refused error={cases.error} />
      <div className="cards">
        {(["three", "six"] as const).map((key) => (
          <button key={key} type="button" className="card alarm" aria-pressed={months === key} onClick={() => setMonths(key)}>
            <span className="card-number">{cases.data?.[key].length ?? "…"}</span>
            <span className="card-label">{key === "three" ? "超过 3 个月" : "超过 6 个月"}</span>
          </button>
        ))}
      </div>
      <DataTable
        title={months === "three" ? "立案超过 3 个月未结" : "立案超过 6 个月未结"}
        name={`cases-open-${months}`}
        rows={cases.data?.[months]}
        columns={[
          { key: "case", title: "案号", value: (c) => c.caseNumber },
          { key: "court", title: "法院", value: (c) => c.courtCode },
          { key: "status", title: "状态", value: (c) => name(STATUS_NAMES, c.status) },
          { key: "creditor", title: "申请执行人", value: (c) => c.creditorName },
          { key: "claim", title: "执行标的（元）", numeric: true, value: (c) => c.claimAmount },
          { key: "registered", title: "立案时间", value: (c) => time(c.registeredAt) },
          { key: "days", title: "已历天数", numeric: true, value: (c) => c.daysOpen },
        ]}
      />
    </>
  );
}
