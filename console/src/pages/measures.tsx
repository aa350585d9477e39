/** 控制措施到期: measures expiring within 30, 7 and 1 days, and those lapsed unrenewed (脱封), with case and court. */
import { useState } from "react";
import { usePoll } from "../api";
import { AGENCY_NAMES, MEASURE_KINDS, name, STATUS_NAMES, time } from "../labels";
import { DataTable, Refused } from "../table";

interface MeasureRow {
  id: string;
  caseNumber: string;
  courtCode: string;
  kind: string;
  status: string;
  agencyKind: string;
  assetIdentifier: string;
  value: string;
  expiresOn: string;
  daysLeft: number;
  lapsedAt: string | null;
}

const FIELDS = "id caseNumber courtCode kind status agencyKind assetIdentifier value expiresOn daysLeft lapsedAt";
const MEASURES = `query { expiring: supervisedMeasures(watch: EXPIRING, days: 30) { ${FIELDS} }
  lapsed: supervisedMeasures(watch: LAPSED, days: 30) { ${FIELDS} } }`;

type Filter = "30" | "7" | "1" | "lapsed";

export function MeasuresPage() {
  const [filter, setFilter] = useState<Filter>("30");
  const measures = usePoll<{ expiring: MeasureRow[]; lapsed: MeasureRow[] }>(MEASURES, {}, 5_000);
  const within = (days: number) => measures.data?.expiring.filter((m) => m.daysLeft <= days);
  const lists: Record<Filter, { title: string; rows?: MeasureRow[] }> = {
    "30": { title: "30 日内到期", rows: within(30) },
    "7": { title: "7 日内到期", rows: within(7) },
    "1": { title: "1 日内到期", rows: within(1) },
    lapsed: { title: "近 30 日已脱封", rows: measures.data?.lapsed },
  };
  return (
    <>
      <div className="toolbar">
        <h1>控制措施到期</h1>
      </div>
      <Refused error={measures.error} />
      <div className="cards">
        {(Object.keys(lists) as Filter[]).map((key) => (
          <button
            key={key}
            type="button"
            className={`card ${key === "lapsed" || key === "1" ? "alarm" : ""}`}
            aria-pressed={filter === key}
            onClick={() => setFilter(key)}
          >
            <span className="card-number">{lists[key].rows?.length ?? "…"}</span>
            <span className="card-label">{lists[key].title}</span>
          </button>
        ))}
      </div>
      <DataTable
        title={lists[filter].title}
        name={`measures-${filter}`}
        rows={lists[filter].rows}
        rowClass={(m) => (m.status === "LAPSED" || m.daysLeft <= 1 ? "failing" : m.daysLeft <= 7 ? "slow" : undefined)}
        columns={[
          { key: "case", title: "案号", value: (m) => m.caseNumber },
          { key: "court", title: "法院", value: (m) => m.courtCode },
          { key: "kind", title: "措施", value: (m) => name(MEASURE_KINDS, m.kind) },
          { key: "agency", title: "单位", value: (m) => name(AGENCY_NAMES, m.agencyKind) },
          { key: "asset", title: "财产", value: (m) => m.assetIdentifier },
          { key: "value", title: "价值（元）", numeric: true, value: (m) => m.value },
          { key: "expires", title: "到期日", value: (m) => m.expiresOn },
          { key: "left", title: "剩余天数", numeric: true, value: (m) => m.daysLeft },
          { key: "status", title: "状态", value: (m) => name(STATUS_NAMES, m.status) },
          { key: "lapsed", title: "脱封时间", value: (m) => (m.lapsedAt ? time(m.lapsedAt) : "") },
        ]}
      />
    </>
  );
}
