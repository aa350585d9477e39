/**
 * 长期未结案件: cases open more than three and six months (三个月未执结案件予以警示), and 终本 cases due for their
 * six-monthly inquiry (法〔2016〕373号 art. 16).
 */
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
interface ReinquiryCase {
  caseNumber: string;
  courtCode: string;
  concludedOn: string;
  lastInquiryOn: string | null;
  dueOn: string;
  daysLeft: number;
}

const CASES = `query { three: casesOpenLongerThan(months: 3) { ${FIELDS} } six: casesOpenLongerThan(months: 6) { ${FIELDS} }
  reinquiry: casesDueReinquiry(withinDays: 30) { caseNumber courtCode concludedOn lastInquiryOn dueOn daysLeft } }`;

export function CasesPage() {
  const [months, setMonths] = useState<"three" | "six" | "reinquiry">("three");
  const cases = usePoll<{ three: OpenCase[]; six: OpenCase[]; reinquiry: ReinquiryCase[] }>(CASES, {}, 10_000);
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
        <button type="button" className="card" aria-pressed={months === "reinquiry"} onClick={() => setMonths("reinquiry")}>
          <span className="card-number">{cases.data?.reinquiry.length ?? "…"}</span>
          <span className="card-label">终本案件待定期查询</span>
        </button>
      </div>
      {months === "reinquiry" ? (
        <DataTable
          title="终本后每六个月查询一次（30 日内到期及已逾期）"
          name="cases-reinquiry"
          rows={cases.data?.reinquiry}
          rowClass={(c) => (c.daysLeft < 0 ? "failing" : undefined)}
          columns={[
            { key: "case", title: "案号", value: (c) => c.caseNumber },
            { key: "court", title: "法院", value: (c) => c.courtCode },
            { key: "concluded", title: "终本日期", value: (c) => c.concludedOn },
            { key: "last", title: "终本后最近查询", value: (c) => c.lastInquiryOn ?? "未查询" },
            { key: "due", title: "应查询日期", value: (c) => c.dueOn },
            { key: "left", title: "剩余天数", numeric: true, value: (c) => c.daysLeft },
          ]}
        />
      ) : (
        <DataTable
          title={months === "three" ? "立案超过 3 个月未结" : "立案超过 6 个月未结"}
          name={`cases-open-${months}`}
          rows={cases.data?.[months as "three" | "six"]}
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
      )}
    </>
  );
}
