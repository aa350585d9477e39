/**
 * 审计链: the SM3 chain's last sealed head, what waits to be sealed, the last head handed to the witnesses outside the
 * database (a file, peer hubs), and a full check on demand.
 */
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
  witnesses: string[];
  witnessedSeq: string | null;
  witnessedHash: string | null;
  witnessedAt: string | null;
  witnessedBy: string[];
}

interface Verification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

const STATE = `query { auditChainState { sealedSeq sealedHash sealedAt unsealed oldestUnsealedAt witnesses witnessedSeq witnessedHash
  witnessedAt witnessedBy } }`;
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
            {chain.witnesses.length === 0 ? (
              <dd className="muted">本枢纽尚未配置外部见证</dd>
            ) : chain.witnessedSeq === null ? (
              <dd className="muted">尚无见证方收到链头（见证方：{chain.witnesses.join("、")}）</dd>
            ) : (
              <dd data-testid="witnessed-head">
                序号 {chain.witnessedSeq}，{time(chain.witnessedAt)} 签署
              </dd>
            )}
            {chain.witnessedHash && (
              <>
                <dt>见证链头哈希（SM3）</dt>
                <dd className="mono">{chain.witnessedHash}</dd>
                <dt>持有该链头的见证方</dt>
                <dd>
                  {chain.witnessedBy.join("、")}
                  {chain.witnessedBy.length < chain.witnesses.length && (
                    <span className="muted">（未收到：{chain.witnesses.filter((w) => !chain.witnessedBy.includes(w)).join("、")}）</span>
                  )}
                </dd>
              </>
            )}
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
