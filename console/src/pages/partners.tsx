/** 联合惩戒单位: each list partner's backlog and lag, its dead letters, and replay and deactivation for those allowed. */
import { useState } from "react";
import { gql, HubRefusal, usePoll } from "../api";
import { time } from "../labels";
import { DataTable, Refused } from "../table";

interface PartnerLag {
  partner: { code: string; name: string; mode: string; active: boolean; inactiveReason: string | null };
  backlog: number;
  dead: number;
  oldestUnacknowledged: string | null;
}

interface DeadLetter {
  partner: string;
  batchId: string;
  changes: number;
  firstSeq: string;
  lastSeq: string;
  attempts: number;
  lastError: string | null;
}

const PARTNERS = `query { sanctionPartners { partner { code name mode active inactiveReason } backlog dead oldestUnacknowledged }
  sanctionDeadLetters { partner batchId changes firstSeq lastSeq attempts lastError } }`;
const REPLAY = `mutation Replay($batchId: ID!) { replaySanctionBatch(batchId: $batchId) }`;
const DEACTIVATE = `mutation Deactivate($id: ID!, $reason: String!) { deactivatePartner(id: $id, reason: $reason) { code } }`;
const REACTIVATE = `mutation Reactivate($id: ID!) { reactivatePartner(id: $id) { code } }`;

function lagOf(oldest: string | null): string {
  if (!oldest) return "无延迟";
  const minutes = Math.round((Date.now() - new Date(oldest).getTime()) / 60_000);
  return minutes < 60 ? `${minutes} 分钟` : `${(minutes / 60).toFixed(1)} 小时`;
}

export function PartnersPage(props: { mayAct: boolean }) {
  const partners = usePoll<{ sanctionPartners: PartnerLag[]; sanctionDeadLetters: DeadLetter[] }>(PARTNERS, {}, 3_000);
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const act = (what: string, query: string, variables: Record<string, unknown>) =>
    gql(query, variables)
      .then(() => setNotice({ ok: true, text: `${what}：已完成` }))
      .catch((error: unknown) => setNotice({ ok: false, text: `${what}：${error instanceof HubRefusal ? error.message : "失败"}` }))
      .finally(partners.refresh);
  return (
    <>
      <div className="toolbar">
        <h1>联合惩戒单位</h1>
      </div>
      <Refused error={partners.error} />
      {notice && (
        <p className={notice.ok ? "notice" : "refused"} role="status">
          {notice.text}
        </p>
      )}
      <DataTable
        testId="partners"
        title="名单推送情况"
        name="partners"
        rows={partners.data?.sanctionPartners}
        rowClass={(p) => (p.dead > 0 || !p.partner.active ? "failing" : p.backlog > 0 ? "slow" : undefined)}
        columns={[
          { key: "code", title: "单位", value: (p) => `${p.partner.name}（${p.partner.code}）` },
          { key: "mode", title: "方式", value: (p) => (p.partner.mode === "PUSH" ? "推送" : "拉取") },
          { key: "active", title: "状态", value: (p) => (p.partner.active ? "启用" : `停用：${p.partner.inactiveReason ?? ""}`) },
          { key: "backlog", title: "积压", numeric: true, value: (p) => p.backlog },
          { key: "dead", title: "死信", numeric: true, value: (p) => p.dead },
          { key: "lag", title: "延迟", value: (p) => lagOf(p.oldestUnacknowledged) },
          { key: "oldest", title: "最早未确认", value: (p) => time(p.oldestUnacknowledged) },
          ...(props.mayAct
            ? [
                {
                  key: "act",
                  title: "操作",
                  value: () => "",
                  render: (p: PartnerLag) =>
                    p.partner.active ? (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => {
                          const reason = window.prompt(`停用 ${p.partner.code} 的原因`);
                          if (reason) void act(`停用 ${p.partner.code}`, DEACTIVATE, { id: p.partner.code, reason });
                        }}
                      >
                        停用
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => act(`启用 ${p.partner.code}`, REACTIVATE, { id: p.partner.code })}
                      >
                        重新启用
                      </button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <DataTable
        testId="dead-letters"
        title="死信批次"
        name="dead-letters"
        rows={partners.data?.sanctionDeadLetters}
        empty="没有死信"
        columns={[
          { key: "partner", title: "单位", value: (d) => d.partner },
          { key: "batch", title: "批次", value: (d) => d.batchId },
          { key: "changes", title: "变更数", numeric: true, value: (d) => d.changes },
          { key: "seq", title: "序号范围", value: (d) => `${d.firstSeq}–${d.lastSeq}` },
          { key: "attempts", title: "尝试次数", numeric: true, value: (d) => d.attempts },
          { key: "error", title: "最近错误", value: (d) => d.lastError },
          ...(props.mayAct
            ? [
                {
                  key: "replay",
                  title: "操作",
                  value: () => "",
                  render: (d: DeadLetter) => (
                    <button type="button" onClick={() => act(`重发批次 ${d.batchId.slice(0, 8)}`, REPLAY, { batchId: d.batchId })}>
                      重发
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
