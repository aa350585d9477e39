/** 审计链: the SM3 chain's last sealed head, what waits to be sealed, and a full check on demand. */
import { useState } from "react";
import { gql, HubRefusal, usePoll } from "../api";
import { time } from "../labels";
import { Refused } from "../table";

interface ChainState {
  sealedSeq: string | null;
  sealedHash: string | null;
  sealedAt: string | null;
  unsealed: number;
  oldestUnsealedAt: string | null;
}

interface Verification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

const STATE = `query { auditChainState { sealedSeq sealedHash sealedAt unsealed oldestUnsealedAt } }`;
const VERIFY = `query { verifyAuditTrail { ok rowsChecked firstBrokenSeq reason } }`;

export function AuditPage() {
  const state = usePoll<{ auditChainState: ChainState }>(STATE, {}, 3_000);
  const [verification, setVerification] = useState<Verification | string>();
  const chain = state.data?.auditChainState;
  return (
    <>
      <div className="toolbar">
        <h1>审计链</h1>
      </div>
      <Refused error={state.error} />
      {chain && (
        <section className="panel" data-testid="chain-state">
          <dl className="facts">
            <dt>最后封存序号</dt>
            <dd>{chain.sealedSeq ?? "—"}</dd>
            <dt>最后封存时间</dt>
            <dd>{time(chain.sealedAt)}</dd>
            <dt>链头哈希（SM3）</dt>
            <dd className="mono">{chain.sealedHash ?? "—"}</dd>
            <dt>待封存记录</dt>
            <dd>{chain.unsealed}</dd>
            <dt>最早待封存</dt>
            <dd>{time(chain.oldestUnsealedAt)}</dd>
            <dt>最后见证链头</dt>
            <dd className="muted">本枢纽尚未配置外部见证</dd>
          </dl>
        </section>
      )}
      <section className="panel">
        <header className="panel-head">
          <h2>完整校验</h2>
          <button
            type="button"
            onClick={() =>
              gql<{ verifyAuditTrail: Verification }>(VERIFY)
                .then((r) => setVerification(r.verifyAuditTrail))
                .catch((e: unknown) => setVerification(e instanceof HubRefusal ? e.message : "校验失败"))
            }
          >
            重新计算整条链
          </button>
        </header>
        {typeof verification === "string" && <p className="refused">{verification}</p>}
        {typeof verification === "object" &&
          (verification.ok ? (
            <p className="notice">链完整：已校验 {verification.rowsChecked} 条记录</p>
          ) : (
            <p className="refused">
              链在序号 {verification.firstBrokenSeq} 处断开：{verification.reason}
            </p>
          ))}
      </section>
    </>
  );
}
