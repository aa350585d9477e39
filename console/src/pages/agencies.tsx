/** 协助执行单位: answers, failures and waits per agency and channel, against each agency's service level. */
import { useState } from "react";
import { usePoll } from "../api";
import { HourlyChart, type HourRow } from "../chart";
import { AGENCY_NAMES, CHANNEL_NAMES, duration, HEALTH_NAMES, MEASURE_KINDS, name, STATUS_NAMES, time } from "../labels";
import { link } from "../route";
import { DataTable, Refused, type TableColumn } from "../table";
import { REQUEST_COLUMNS, type RequestRow } from "./requests";

interface Stats {
  agencyKind: string;
  channel: string;
  answered: number;
  refused: number;
  failed: number;
  timedOut: number;
  pending: number;
  retrying: number;
  overdue: number;
  medianAnswerMs: number | null;
  p95AnswerMs: number | null;
  serviceLevelMs: number;
  oldestPendingAt: string | null;
  health: string;
}

const STATS = `query Stats($window: StatsWindow!) { agencyStats(window: $window) { agencyKind channel answered refused failed timedOut
  pending retrying overdue medianAnswerMs p95AnswerMs serviceLevelMs oldestPendingAt health } }`;
const HOURLY = `query { agencyHourly(hours: 24) { hour agencyKind answered failed } }`;
const STUCK = `query { stuckRequests(first: 10) { id caseNumber courtCode agencyKind channel operation status attempts failedRounds lastError
  createdAt finishedAt } }`;
const UNCONFIRMED = `query { supervisedMeasures(watch: UNCONFIRMED) { id caseNumber courtCode kind agencyKind assetIdentifier value expiresOn } }`;

interface UnconfirmedMeasure {
  caseNumber: string;
  courtCode: string;
  kind: string;
  agencyKind: string;
  assetIdentifier: string;
  value: string;
}

export function AgenciesPage(props: { supervisor: boolean }) {
  const [window, setWindow] = useState<"HOUR" | "DAY">("HOUR");
  const stats = usePoll<{ agencyStats: Stats[] }>(STATS, { window });
  const hourly = usePoll<{ agencyHourly: HourRow[] }>(HOURLY, {}, 10_000);
  const count = (row: Stats, outcome: string, value: number) =>
    props.supervisor && value > 0 ? (
      <a href={link("requests", { agency: row.agencyKind, channel: row.channel, outcome, window })} data-testid={`drill-${outcome}`}>
        {value}
      </a>
    ) : (
      value
    );
  const columns: TableColumn<Stats>[] = [
    { key: "agency", title: "单位", value: (r) => name(AGENCY_NAMES, r.agencyKind) },
    { key: "channel", title: "通道", value: (r) => name(CHANNEL_NAMES, r.channel) },
    {
      key: "health",
      title: "状态",
      value: (r) => name(HEALTH_NAMES, r.health),
      render: (r) => <span className={`badge ${r.health.toLowerCase()}`}>{name(HEALTH_NAMES, r.health)}</span>,
    },
    { key: "answered", title: "已答复", numeric: true, value: (r) => r.answered, render: (r) => count(r, "ANSWERED", r.answered) },
    { key: "pending", title: "待答复", numeric: true, value: (r) => r.pending, render: (r) => count(r, "PENDING", r.pending) },
    { key: "retrying", title: "重试中", numeric: true, value: (r) => r.retrying, render: (r) => count(r, "RETRYING", r.retrying) },
    { key: "failed", title: "失败", numeric: true, value: (r) => r.failed, render: (r) => count(r, "FAILED", r.failed) },
    { key: "timedOut", title: "超时", numeric: true, value: (r) => r.timedOut, render: (r) => count(r, "TIMED_OUT", r.timedOut) },
    { key: "overdue", title: "超期未答", numeric: true, value: (r) => r.overdue, render: (r) => count(r, "OVERDUE", r.overdue) },
    { key: "median", title: "答复中位数", numeric: true, value: (r) => duration(r.medianAnswerMs) },
    { key: "p95", title: "P95", numeric: true, value: (r) => duration(r.p95AnswerMs) },
    { key: "level", title: "服务时限", numeric: true, value: (r) => duration(r.serviceLevelMs) },
    { key: "oldest", title: "最早待答", value: (r) => time(r.oldestPendingAt) },
  ];
  return (
    <>
      <div className="toolbar">
        <h1>协助执行单位</h1>
        <div className="segmented" role="tablist">
          {(["HOUR", "DAY"] as const).map((w) => (
            <button key={w} type="button" aria-pressed={window === w} onClick={() => setWindow(w)}>
              {w === "HOUR" ? "最近一小时" : "最近一天"}
            </button>
          ))}
        </div>
      </div>
      <Refused error={stats.error} />
      <DataTable
        testId="agency-stats"
        title="各单位请求情况"
        name={`agencies-${window}`}
        rows={stats.data?.agencyStats}
        columns={columns}
        empty="此时段内没有请求"
        rowClass={(r) => (r.health === "FAILING" ? "failing" : r.health === "SLOW" ? "slow" : undefined)}
      />
      {hourly.data && <HourlyChart rows={hourly.data.agencyHourly} hours={24} />}
      {props.supervisor && <SupervisorLists />}
    </>
  );
}

function SupervisorLists() {
  const stuck = usePoll<{ stuckRequests: RequestRow[] }>(STUCK, {}, 3_000);
  const unconfirmed = usePoll<{ supervisedMeasures: UnconfirmedMeasure[] }>(UNCONFIRMED, {}, 5_000);
  return (
    <>
      <Refused error={stuck.error ?? unconfirmed.error} />
      <div className="columns">
        <DataTable
          testId="stuck-requests"
          title="等待最久的请求"
          name="stuck-requests"
          rows={stuck.data?.stuckRequests}
          columns={REQUEST_COLUMNS.slice(0, 6)}
        />
        <DataTable
          title="未确认的控制措施"
          name="unconfirmed-measures"
          rows={unconfirmed.data?.supervisedMeasures}
          columns={[
            { key: "case", title: "案号", value: (r) => r.caseNumber },
            { key: "court", title: "法院", value: (r) => r.courtCode },
            { key: "kind", title: "措施", value: (r) => name(MEASURE_KINDS, r.kind) },
            { key: "agency", title: "单位", value: (r) => name(AGENCY_NAMES, r.agencyKind) },
            { key: "asset", title: "财产", value: (r) => r.assetIdentifier },
            { key: "status", title: "状态", value: () => name(STATUS_NAMES, "UNCONFIRMED") },
          ]}
        />
      </div>
    </>
  );
}
