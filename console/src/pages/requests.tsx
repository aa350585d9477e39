/** The requests behind one number of the agencies page. */
import { usePoll } from "../api";
import { AGENCY_NAMES, CHANNEL_NAMES, name, OUTCOME_NAMES, STATUS_NAMES, time } from "../labels";
import { link } from "../route";
import { DataTable, Refused, type TableColumn } from "../table";

export interface RequestRow {
  id: string;
  caseNumber: string;
  courtCode: string;
  agencyKind: string;
  channel: string;
  operation: string;
  status: string;
  attempts: number;
  failedRounds: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const REQUEST_COLUMNS: TableColumn<RequestRow>[] = [
  { key: "case", title: "案号", value: (r) => r.caseNumber },
  { key: "court", title: "法院", value: (r) => r.courtCode },
  { key: "agency", title: "单位", value: (r) => `${name(AGENCY_NAMES, r.agencyKind)}（${name(CHANNEL_NAMES, r.channel)}）` },
  { key: "status", title: "状态", value: (r) => name(STATUS_NAMES, r.status) },
  { key: "created", title: "发起时间", value: (r) => time(r.createdAt) },
  { key: "error", title: "最近错误", value: (r) => r.lastError },
  { key: "operation", title: "类型", value: (r) => r.operation },
  { key: "attempts", title: "提交次数", numeric: true, value: (r) => r.attempts },
  { key: "rounds", title: "失败轮次", numeric: true, value: (r) => r.failedRounds },
  { key: "finished", title: "结束时间", value: (r) => time(r.finishedAt) },
];

const REQUESTS = `query Requests($outcome: RequestOutcome!, $window: StatsWindow!, $agencyKind: AgencyKind, $channel: Channel) {
  agencyRequests(outcome: $outcome, window: $window, agencyKind: $agencyKind, channel: $channel) { id caseNumber courtCode agencyKind
    channel operation status attempts failedRounds lastError createdAt finishedAt } }`;

export function RequestsPage(props: { params: URLSearchParams }) {
  const outcome = props.params.get("outcome") ?? "PENDING";
  const agencyKind = props.params.get("agency") ?? undefined;
  const channel = props.params.get("channel") ?? undefined;
  const window = props.params.get("window") ?? "DAY";
  const rows = usePoll<{ agencyRequests: RequestRow[] }>(REQUESTS, { outcome, window, agencyKind, channel }, 3_000);
  const title = `${agencyKind ? name(AGENCY_NAMES, agencyKind) : "全部单位"}${channel ? `（${name(CHANNEL_NAMES, channel)}）` : ""} · ${name(OUTCOME_NAMES, outcome)}`;
  return (
    <>
      <div className="toolbar">
        <h1>请求明细</h1>
        <a href={link("agencies")}>← 返回协助执行单位</a>
      </div>
      <Refused error={rows.error} />
      <DataTable
        testId="request-rows"
        title={title}
        name={`requests-${agencyKind ?? "all"}-${outcome}`}
        rows={rows.data?.agencyRequests}
        columns={REQUEST_COLUMNS}
      />
    </>
  );
}
