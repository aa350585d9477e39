/**
 * Control measures (控): ordering, releasing and renewing freezes, seals,
 * seizures and deductions through the agencies' connectors. Every guard of
 * domain/measures runs before anything is written or sent; measures of one
 * case are ordered one at a time (the case row is locked) so two concurrent
 * orders cannot both pass the over-seizure check.
 */
import { canControl, type AgencyConnector, type AgencyKind, type ControlCall } from "../../connectors/connector.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { preservationAllows } from "../../domain/cases/preservation.js";
import { checkPanelDecision, type PanelDecision } from "../../domain/measures/collegialPanelDecision.js";
import { checkDeduction } from "../../domain/measures/deduction.js";
import { checkIncomeWithholding, checkWithholdingPeriod } from "../../domain/measures/incomeWithholding.js";
import { netOfDeductions } from "../../domain/measures/netOfDeductions.js";
import { formatYuan } from "../../domain/measures/yuan.js";
import { checkPeriod } from "../../domain/measures/maximumPeriod.js";
import { checkKindApplies, type AssetCategory, type MeasureKind } from "../../domain/measures/measureKinds.js";
import {
  checkOverSeizure,
  DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS,
  valueNetOfPriorCharges,
  type OverSeizureOverride,
  type PriorCharge,
} from "../../domain/measures/overSeizure.js";
import { checkOneMeasurePerAsset } from "../../domain/measures/oneMeasurePerAsset.js";
import { checkProvidentFundDeduction, isWithdrawalGround, type WithdrawalGround } from "../../domain/measures/providentFundDeduction.js";
import { checkRenewal } from "../../domain/measures/renewal.js";
import { checkInPersonWork } from "../../domain/delegation/inPersonWork.js";
import { canSeeCourt, requireRole, type Caller } from "../../gateway/auth/access.js";
import type { Principal } from "../../gateway/auth/principal.js";
import {
  assertCaseAdmits,
  findCaseForCaller,
  lockCaseAdmitting,
  findDebtorOfCase,
  openDebtor,
  type CaseRow,
  type DebtorRow,
} from "../cases/caseAccess.js";
import type { Dispatcher } from "../../gateway/dispatch/dispatcher.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes, ChannelName } from "../../gateway/routing/agencyRoutes.js";
import { approvalsOfCase } from "../delegation/directorApprovals.js";
import { assetCategoryOf } from "./assetCategory.js";
import { provinceOfAsset } from "./assetLocation.js";
import { measuresOnAsset } from "./measuresOnAsset.js";
import { COUNTED, deductedFrom, measuresOnCase } from "./measuresOnCase.js";
import { claimOf } from "../cases/caseClaim.js";
import {
  MEASURE_COLUMNS,
  insertDelegatedMeasure,
  recordControlRequest,
  recordMeasure,
  type ControlCallRecord,
  type MeasureRow,
} from "./measureStore.js";
import { agencyRequestLifecycle } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { AWAITING_ANSWER, HELD_AT_AGENCY, RELEASABLE_AT_AGENCY } from "../../domain/measures/measureLifecycle.js";

export interface Notice {
  number: string;
  date: string;
}

export interface MeasureOrderInput {
  caseNumber: string;
  debtorIdNumber: string;
  kind: MeasureKind;
  /** An asset found by an inquiry of this case… */
  assetId?: string;
  /** …or one the court identifies itself (a certificate number, a plate). */
  asset?: { agency: AgencyKind; identifier: string; category: AssetCategory; value: string };
  /** Value the measure holds, yuan; defaults to the asset's estimated value. */
  value?: string;
  startsOn: string;
  expiresOn: string;
  channel?: ChannelName;
  notice: Notice;
  decision?: PanelDecision;
  override?: OverSeizureOverride;
  /** A deduction from a provident fund: yuan left for the debtor's and dependants' necessities (providentFundDeduction.ts). */
  necessitiesReserve?: string;
  /** WITHHOLD (扣留、提取收入): what is withheld each month, and what stays with the debtor (incomeWithholding.ts). */
  withholding?: WithholdingInput;
}

export interface WithholdingInput {
  monthlyAmount: string;
  dependants: number;
  /** 当地最低生活保障标准, yuan per person per month: the sources give no figure, so the court states it. */
  minimumLivingStandard: string;
  necessitiesPerPerson?: string;
}

/** The asset an order bears on, as the guards read it. */
interface ResolvedAsset {
  assetId: string | null;
  agency: AgencyKind;
  identifier: string;
  category: AssetCategory;
  value: string;
  balance: string | undefined;
  /** An income (INCOME): what its payer pays each month, as the agency reported it. */
  monthlyIncome?: string;
  /** A provident fund account's withdrawal ground, as the centre last reported it. */
  withdrawalGround: WithdrawalGround | undefined;
}

/** An order that passed the guards needing no lock (MeasureService.checkOrder). */
export interface CheckedOrder {
  principal: Principal;
  decision: PanelDecision;
  enforcementCase: CaseRow;
  debtor: DebtorRow;
  asset: ResolvedAsset;
}

export interface MeasureChangeInput {
  measureId: string;
  notice: Notice;
  decision?: PanelDecision;
}

export class MeasureService {
  constructor(
    private readonly deps: {
      sql: Sql;
      routes: AgencyRoutes;
      connectors: Record<AgencyKind, AgencyConnector>;
      dispatcher: Dispatcher;
      lease: { owner: string; leaseMs: number };
      clock: () => Date;
      overSeizureToleranceBasisPoints?: number;
    },
  ) {}

  async order(caller: Caller, input: MeasureOrderInput): Promise<{ measureId: string; created: boolean }> {
    const { principal, decision, enforcementCase, debtor, asset } = await this.checkOrder(caller, input);
    const courtProvince = enforcementCase.division_code.slice(0, 2);
    const assetProvince = provinceOfAsset(asset);
    const inPerson = checkInPersonWork({
      courtProvince,
      assetProvince,
      approvals: assetProvince && assetProvince !== courtProvince ? await approvalsOfCase(this.deps.sql, enforcementCase.id) : [],
    });
    if (!inPerson.ok) throw guardRefused(inPerson);
    const connector = this.deps.connectors[asset.agency];
    if (!canControl(connector) || !connector.measureKinds.includes(input.kind)) {
      throw new HubError("AGENCY_CANNOT_CONTROL", `${asset.agency} does not carry out ${input.kind} through this hub`, {
        agency: asset.agency,
      });
    }
    if (!connector.assetCategories.includes(asset.category)) {
      throw new HubError("AGENCY_CANNOT_CONTROL", `${asset.agency} holds no ${asset.category}: it cannot carry out ${input.kind} on it`, {
        agency: asset.agency,
      });
    }
    const route = this.deps.routes.resolve(asset.agency, input.channel ?? "NATIONAL", enforcementCase.division_code);

    const outcome = await this.deps.sql.transaction(async (tx) => {
      const { freeze, overSeizure } = await this.checkHoldings(tx, enforcementCase, asset, input);
      const call = {
        ...this.controlCall(principal, enforcementCase, debtor, { ...input, decision }, asset.identifier, "APPLY"),
        amount: asset.value,
        monthlyAmount: input.withholding?.monthlyAmount,
        measureRef: freeze?.apply_request_id,
        assetCategory: asset.category,
      };
      return recordMeasure(
        tx,
        {
          ...this.newMeasure({ principal, decision, enforcementCase, debtor, asset }, input, freeze, overSeizure),
          route,
        },
        call,
        {
          actorOrg: principal.org,
          actorOfficer: principal.officer,
          action: "MEASURE_ORDERED",
          caseId: enforcementCase.id,
          debtorId: debtor.id,
          purpose: `${input.kind} ${asset.identifier}`,
          detail: {
            ...this.orderDetail({ decision, asset }, input, freeze, overSeizure),
            directorApproval: inPerson.approval?.approvalNumber ?? null,
          },
        },
        this.deps.lease,
      );
    });
    if (outcome.request) this.deps.dispatcher.dispatch([outcome.request]);
    return { measureId: outcome.measure.id, created: outcome.created };
  }

  /**
   * 事项委托 of a freeze, seal or deduction: the same guards as an order made here (panel decision, the kind against the
   * asset, the maximum period), before the task is written. The executing court, not this hub's connector, goes to the
   * agency, so neither the agency's reach through this hub nor the director's approval for work in another province
   * (the reason to delegate) applies.
   */
  checkDelegatedOrder(caller: Caller, input: MeasureOrderInput): Promise<CheckedOrder> {
    return this.checkOrder(caller, input);
  }

  /**
   * The delegated order's measure, REQUESTED, with the case row locked like any order: one measure per asset, the
   * over-seizure limit and the deduction's bounds are checked against every measure of the case, delegated or not, and a
   * refusal throws, so the task written before it in `tx` is rolled back and nothing is sent. The measure takes effect
   * when the executing court reports the agency's registration (delegatedMeasures.ts).
   */
  async recordDelegatedOrder(
    tx: Pick<Sql, "query">,
    order: CheckedOrder,
    input: MeasureOrderInput,
    task: { id: string; targetCourt: string },
  ): Promise<string> {
    const { principal, enforcementCase, debtor, asset } = order;
    const { freeze, overSeizure } = await this.checkHoldings(tx, enforcementCase, asset, input);
    const measure = await insertDelegatedMeasure(
      tx,
      { ...this.newMeasure(order, input, freeze, overSeizure), delegatedTaskId: task.id, endpointKey: `delegated:${task.targetCourt}` },
      {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "MEASURE_ORDERED",
        caseId: enforcementCase.id,
        debtorId: debtor.id,
        purpose: `${input.kind} ${asset.identifier}`,
        detail: { ...this.orderDetail(order, input, freeze, overSeizure), delegatedTask: task.id, targetCourt: task.targetCourt },
      },
    );
    return measure.id;
  }

  /**
   * 续行 of a measure another court carried out (事项委托), asked of a court by a FREEZE or SEAL task: the measure, locked,
   * must be this case's, carried out by delegation, of the task's kind and held at the agency, and the new last day within
   * 民诉法解释 2022 art. 485 (renewal.ts), as for renewMeasure. A refusal throws, so the task written before it in `tx` is
   * rolled back. The task's completion with the agency's new last day moves the measure's (delegatedMeasures.ts).
   */
  async recordDelegatedRenewal(
    tx: Pick<Sql, "query">,
    caller: Caller,
    input: MeasureChangeInput & { expiresOn: string },
    task: { id: string; caseId: string; kind: string; targetCourt: string },
  ): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    const decision = this.checkDecision(input.decision, today);
    const { measure, enforcementCase } = await this.findMeasure(tx, principal, input.measureId);
    if (measure.case_id !== task.caseId || !measure.delegated_task_id) {
      throw invalidField("renewal.measureId", "not a measure of this case carried out by delegation; renew the others with renewMeasure");
    }
    if (measure.kind !== task.kind) throw invalidField("kind", `the measure is a ${measure.kind}; a ${task.kind} task cannot renew it`);
    assertCaseAdmits(enforcementCase, "RENEWAL");
    if (!(HELD_AT_AGENCY as readonly string[]).includes(measure.status)) {
      throw new HubError("MEASURE_NOT_IN_FORCE", `measure ${measure.id} is ${measure.status}; it cannot be renewed`, {
        status: measure.status,
      });
    }
    const renewal = checkRenewal(
      { kind: measure.kind as MeasureKind, category: measure.asset_category as AssetCategory, expiresOn: measure.expires_on },
      today,
      input.expiresOn,
    );
    if (!renewal.ok) throw guardRefused(renewal);
    await appendAudit(tx, {
      actorOrg: principal.org,
      actorOfficer: principal.officer,
      action: "MEASURE_RENEWAL_ORDERED",
      caseId: measure.case_id,
      debtorId: measure.debtor_id,
      subjectId: measure.id,
      purpose: `RENEW ${measure.kind} ${measure.asset_identifier}`,
      detail: {
        notice: input.notice,
        decision,
        from: measure.expires_on,
        to: input.expiresOn,
        delegatedTask: task.id,
        targetCourt: task.targetCourt,
      },
    });
    return measure.id;
  }

  /** The guards of an order that need no lock: the caller, the panel decision, the case, the asset, the kind and the period. */
  private async checkOrder(caller: Caller, input: MeasureOrderInput): Promise<CheckedOrder> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    const decision = this.checkDecision(input.decision, today);
    const enforcementCase = await findCaseForCaller(this.deps.sql, principal, input.caseNumber);
    assertCaseAdmits(enforcementCase, "MEASURE");
    // Withholding income takes money as a deduction does: a preservation case does neither.
    if (input.kind === "DEDUCT" || input.kind === "WITHHOLD") {
      const preservation = preservationAllows(enforcementCase.kind, "DEDUCT");
      if (!preservation.ok) throw guardRefused(preservation);
    }
    const debtor = await findDebtorOfCase(this.deps.sql, enforcementCase, input.debtorIdNumber);
    const asset = await this.resolveAsset(enforcementCase, debtor, input);
    const applies = checkKindApplies(input.kind, asset.category);
    if (!applies.ok) throw guardRefused(applies);
    // A deduction (划拨) is one transfer and has no period: checkPeriod answers NO_PERIOD for it, which
    // would refuse every deduction for having none. Only freezes, seals and seizures have maximum periods.
    if (input.kind === "WITHHOLD") {
      if (!input.withholding)
        throw invalidField("withholding", "a withholding order states its monthly amount and what stays with the debtor");
      const period = checkWithholdingPeriod(input.startsOn, input.expiresOn);
      if (!period.ok) throw guardRefused(period);
    } else if (input.kind !== "DEDUCT") {
      const period = checkPeriod(input.kind, asset.category, input.startsOn, input.expiresOn);
      if (!period.ok) throw guardRefused(period);
    }
    return { principal, decision, enforcementCase, debtor, asset };
  }

  /**
   * The guards that read the case's other measures, with the case row locked so two orders cannot both pass: the freeze a
   * deduction draws on, one measure per asset, and the over-seizure limit.
   */
  private async checkHoldings(tx: Pick<Sql, "query">, enforcementCase: CaseRow, asset: ResolvedAsset, input: MeasureOrderInput) {
    await lockCaseAdmitting(tx, enforcementCase, "MEASURE", "UPDATE");
    // A deduction moves money the case already holds frozen: it is bounded by that freeze (deduction.ts),
    // which was itself checked against the claim, so it adds nothing to the value under measures.
    const freeze = input.kind === "DEDUCT" ? await this.freezeToDeductFrom(tx, enforcementCase, asset, asset.value) : undefined;
    if (input.kind === "DEDUCT" && asset.agency === "PROVIDENT_FUND") await this.checkProvidentFund(tx, enforcementCase, asset, input);
    if (input.kind !== "DEDUCT") {
      const one = checkOneMeasurePerAsset({
        kind: input.kind,
        value: asset.value,
        existing: await measuresOnAsset(tx, enforcementCase.id, asset, { kind: input.kind, notice: input.notice.number.trim() }),
        balance: asset.balance,
      });
      if (!one.ok) throw guardRefused(one);
    }
    const measures = freeze ? [] : await measuresOnCase(tx, "ORDERED", enforcementCase.id);
    const claim = freeze ? undefined : await claimOf(tx, enforcementCase, "ORDERED", todayInChina(this.deps.clock()));
    if (input.kind === "WITHHOLD" && claim) this.checkWithholding(asset, input, claim.outstanding);
    const overSeizure = !claim
      ? { ok: true as const, overridden: false as const }
      : checkOverSeizure({
          ...claim,
          measures,
          newValue: asset.value,
          toleranceBasisPoints: this.deps.overSeizureToleranceBasisPoints ?? DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS,
          override: input.override,
        });
    if (!overSeizure.ok) throw guardRefused(overSeizure);
    return { freeze, overSeizure };
  }

  /** 民事诉讼法 2023 art. 254: the month's withholding leaves the debtor's and dependants' necessities, the total what is owed. */
  private checkWithholding(asset: ResolvedAsset, input: MeasureOrderInput, outstanding: string): void {
    const terms = input.withholding;
    if (!terms || asset.monthlyIncome === undefined) {
      throw invalidField("assetId", "a withholding names an income the agency reported (assetId), with its monthly amount");
    }
    const check = checkIncomeWithholding({ ...terms, monthlyIncome: asset.monthlyIncome, total: asset.value, outstanding });
    if (!check.ok) throw guardRefused({ ...check, field: check.field === "value" ? "value" : `withholding.${check.field}` });
  }

  private newMeasure(
    { principal, decision, enforcementCase, debtor, asset }: CheckedOrder,
    input: MeasureOrderInput,
    freeze: { id: string } | undefined,
    overSeizure: { overridden: false } | { overridden: true; overrideReason: string },
  ) {
    return {
      caseId: enforcementCase.id,
      debtorId: debtor.id,
      assetId: asset.assetId,
      agencyKind: asset.agency,
      assetIdentifier: asset.identifier,
      assetCategory: asset.category,
      kind: input.kind,
      value: asset.value,
      startsOn: input.startsOn,
      expiresOn: input.expiresOn,
      noticeNumber: input.notice.number.trim(),
      decision,
      overrideReason: overSeizure.overridden ? overSeizure.overrideReason : null,
      orderedBy: principal.officer,
      deductsMeasureId: freeze?.id ?? null,
    };
  }

  private orderDetail(
    { decision, asset }: Pick<CheckedOrder, "decision" | "asset">,
    input: MeasureOrderInput,
    freeze: { id: string; frozen: string; deducted: string } | undefined,
    overSeizure: { overridden: false } | { overridden: true; overrideReason: string },
  ) {
    return {
      kind: input.kind,
      agency: asset.agency,
      asset: asset.identifier,
      value: asset.value,
      startsOn: input.startsOn,
      expiresOn: input.expiresOn,
      notice: input.notice,
      decision,
      overridden: overSeizure.overridden,
      deductsFrom: freeze ? { measureId: freeze.id, frozen: freeze.frozen, deducted: freeze.deducted } : null,
      withholding: input.withholding ? { ...input.withholding, monthlyIncome: asset.monthlyIncome } : null,
      // What a provident fund deduction leaves for necessities is the court's decision: the trail keeps it.
      ...(input.necessitiesReserve !== undefined && { necessitiesReserve: input.necessitiesReserve }),
      // The art. 19 exception is what supervision looks for: its reason belongs in the sealed trail, not only on the row.
      overrideReason: overSeizure.overridden ? overSeizure.overrideReason : null,
    };
  }

  /**
   * The case's freeze in force on the account that holds most not yet deducted (deductions ordered and
   * not yet answered count as deducted, so two at once cannot both pass), or a refusal saying by how much
   * the deduction is over the freeze or over what is still owed: 民事诉讼法 2023 art. 253, deduction.ts.
   * Called with the case row locked.
   */
  private async freezeToDeductFrom(
    tx: Pick<Sql, "query">,
    enforcementCase: { id: string; claim_amount: string },
    asset: { agency: AgencyKind; identifier: string },
    amount: string,
  ) {
    const caseId = enforcementCase.id;
    const [freeze] = await tx.query<{ id: string; apply_request_id: string; frozen: string; deducted: string }>(
      `SELECT f.id::text AS id, f.apply_request_id::text AS apply_request_id, f.value::text AS frozen,
         d.deducted::numeric(18, 2)::text AS deducted
         FROM measure f CROSS JOIN LATERAL (SELECT ${deductedFrom("f", "ORDERED")} AS deducted) AS d
        WHERE f.case_id = $1::uuid AND f.agency_kind = $2 AND f.asset_identifier = $3 AND f.kind = 'FREEZE' AND f.status = 'EFFECTIVE'
        ORDER BY f.value - d.deducted DESC, f.created_at LIMIT 1`,
      [caseId, asset.agency, asset.identifier],
    );
    const claim = await claimOf(tx, enforcementCase, "ORDERED", todayInChina(this.deps.clock()));
    const net = netOfDeductions({ ...claim, measures: await measuresOnCase(tx, "ORDERED", caseId) });
    if (!net.ok) throw guardRefused(net);
    const check = checkDeduction(freeze?.frozen ?? "0.00", freeze?.deducted ?? "0.00", amount, formatYuan(net.figures.outstanding));
    if (!check.ok) throw guardRefused(check);
    return freeze;
  }

  /**
   * A deduction from a housing provident fund only on a withdrawal ground the centre reported, leaving the necessities the
   * order states after this and the case's earlier deductions from the account (providentFundDeduction.ts). An account the
   * court identifies itself, unseen by an inquiry, has no reported ground and is refused. Called with the case row locked.
   */
  private async checkProvidentFund(tx: Pick<Sql, "query">, enforcementCase: CaseRow, asset: ResolvedAsset, input: MeasureOrderInput) {
    const [deducted] = await tx.query<{ sum: string }>(
      `SELECT coalesce(sum(value), 0)::numeric(18, 2)::text AS sum FROM measure
        WHERE case_id = $1::uuid AND agency_kind = $2 AND asset_identifier = $3 AND kind = 'DEDUCT' AND ${COUNTED.ORDERED}`,
      [enforcementCase.id, asset.agency, asset.identifier],
    );
    const check = checkProvidentFundDeduction({
      withdrawalGround: asset.withdrawalGround,
      balance: asset.balance ?? "0.00",
      necessitiesReserve: input.necessitiesReserve,
      alreadyDeducted: deducted.sum,
      requested: asset.value,
    });
    if (!check.ok) throw guardRefused(check);
  }

  /**
   * 解除. Safe to repeat: releasing a released measure, or one whose release is still on its way to
   * the agency, changes nothing and sends nothing. Ordered before the agency has answered the order
   * (the measure still REQUESTED), the release waits for that answer (heldReleases.ts): sent first, it
   * could overtake the order at the agency and leave the measure in force.
   */
  async release(caller: Caller, input: MeasureChangeInput): Promise<string> {
    return this.change(caller, input, "RELEASE", [...RELEASABLE_AT_AGENCY, ...AWAITING_ANSWER], () => ({}));
  }

  /** 续行: before expiry, each time for at most the same maximum period (民诉法解释 2022 art. 485). */
  async renew(caller: Caller, input: MeasureChangeInput & { expiresOn: string }): Promise<string> {
    const today = todayInChina(this.deps.clock());
    return this.change(caller, input, "RENEW", HELD_AT_AGENCY, (measure) => {
      const renewal = checkRenewal(
        { kind: measure.kind as MeasureKind, category: measure.asset_category as AssetCategory, expiresOn: measure.expires_on },
        today,
        input.expiresOn,
      );
      if (!renewal.ok) throw guardRefused(renewal);
      return { from: measure.expires_on, to: input.expiresOn };
    });
  }

  private async change(
    caller: Caller,
    input: MeasureChangeInput,
    action: "RELEASE" | "RENEW",
    allowedFrom: readonly string[],
    extra: (measure: MeasureRow) => Partial<ControlCall>,
  ): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const decision = this.checkDecision(input.decision, todayInChina(this.deps.clock()));
    // Everything is read under the measure's row lock: a release repeated while the first is still on its way to
    // the agency (the measure still EFFECTIVE) must not send a second RELEASE, two releases at once must not both
    // pass, and two renewals must not both count from the same expiry. The agency's answer updates the measure
    // in the statement that finishes the request, so once it is in, the status read here is RELEASED.
    const { measureId, request } = await this.deps.sql.transaction(async (tx) => {
      const { measure, enforcementCase, debtor } = await this.findMeasure(tx, principal, input.measureId);
      const unchanged = { measureId: measure.id, request: undefined };
      if (action === "RENEW") await lockCaseAdmitting(tx, enforcementCase, "RENEWAL", "SHARE");
      if (measure.delegated_task_id || measure.police_assistance_id) {
        // The agency registered it at another court's or the police's hand, under a reference this hub's connector never
        // sent: a release or renewal sent from here would find nothing there to act on.
        throw new HubError(
          "MEASURE_NOT_CARRIED_BY_HUB",
          measure.delegated_task_id
            ? `measure ${measure.id} was carried out by delegated task ${measure.delegated_task_id}: ` +
                (action === "RELEASE"
                  ? "ask the court that carried it out to release it"
                  : `delegate its renewal (delegateTask with renewal) to the court that carried it out`)
            : `measure ${measure.id} was carried out by the police (assistance ${measure.police_assistance_id}): ask them`,
          { field: "measureId", delegatedTaskId: measure.delegated_task_id, policeAssistanceId: measure.police_assistance_id },
        );
      }
      if (measure.kind === "DEDUCT") {
        throw new HubError(
          "DEDUCTION_FINAL",
          `measure ${measure.id} is a deduction (划拨), a transfer done once: it cannot be released or renewed`,
          { kind: "DEDUCT" },
        );
      }
      if (action === "RELEASE") {
        if (measure.status === "RELEASED") return unchanged;
        const [open] = await tx.query(
          `SELECT 1 FROM agency_request WHERE case_id = $1::uuid AND measure_id = $2::uuid AND payload->>'action' = 'RELEASE'
              AND status IN (${sqlList(agencyRequestLifecycle.openStatuses)}) LIMIT 1`,
          [measure.case_id, measure.id],
        );
        if (open) return unchanged;
      }
      if (!allowedFrom.includes(measure.status)) {
        throw new HubError(
          "MEASURE_NOT_IN_FORCE",
          `measure ${measure.id} is ${measure.status}; it cannot be ${action === "RELEASE" ? "released" : "renewed"}`,
          {
            status: measure.status,
          },
        );
      }
      const held = action === "RELEASE" && (AWAITING_ANSWER as readonly string[]).includes(measure.status);
      const fields = extra(measure);
      const route = this.deps.routes.byKey(measure.agency_kind as AgencyKind, measure.endpoint_key);
      const recorded = await recordControlRequest(
        tx,
        measure,
        {
          ...this.controlCall(
            principal,
            enforcementCase,
            debtor,
            { kind: measure.kind as MeasureKind, notice: input.notice, decision },
            measure.asset_identifier,
            action,
          ),
          idempotencyKey: crypto.randomUUID(),
          measureRef: measure.apply_request_id,
          ...fields,
        },
        route,
        {
          actorOrg: principal.org,
          actorOfficer: principal.officer,
          action: action === "RELEASE" ? "MEASURE_RELEASE_ORDERED" : "MEASURE_RENEWAL_ORDERED",
          caseId: measure.case_id,
          debtorId: measure.debtor_id,
          subjectId: measure.id,
          purpose: `${action} ${measure.kind} ${measure.asset_identifier}`,
          detail: { notice: input.notice, decision, ...fields, ...(held ? { heldUntilOrderAnswered: true } : {}) },
        },
        held ? "HELD" : this.deps.lease,
      );
      return { measureId: measure.id, request: held ? undefined : recorded };
    });
    if (request) this.deps.dispatcher.dispatch([request]);
    return measureId;
  }

  private checkDecision(decision: PanelDecision | undefined, today: string): PanelDecision {
    const checked = checkPanelDecision(decision, today);
    if (!checked.ok) throw guardRefused(checked);
    return checked.decision;
  }

  /** The measure, locked, with its case and debtor, in one statement. */
  private async findMeasure(
    tx: Pick<Sql, "query">,
    principal: Principal,
    measureId: string,
  ): Promise<{ measure: MeasureRow; enforcementCase: CaseRow; debtor: DebtorRow }> {
    if (!/^[0-9a-f-]{36}$/i.test(measureId)) throw invalidField("measureId", "not a measure id this hub issued");
    const [row] = await tx.query<{ measure: MeasureRow; enforcement_case: CaseRow; debtor: DebtorRow }>(
      `SELECT to_jsonb(m) AS measure,
              jsonb_build_object('id', c.id::text, 'case_number', c.case_number, 'court_code', c.court_code,
                'division_code', c.division_code, 'claim_amount', c.claim_amount::text,
                'status', c.status::text, 'kind', c.kind::text) AS enforcement_case,
              jsonb_build_object('id', d.id::text, 'kind', d.kind::text, 'id_number', d.id_number, 'name', d.name) AS debtor
         FROM (SELECT ${MEASURE_COLUMNS} FROM measure WHERE id = $1::uuid FOR UPDATE) AS m
         JOIN enforcement_case c ON c.id = m.case_id::uuid
         JOIN debtor d ON d.id = m.debtor_id::uuid`,
      [measureId],
    );
    if (!row) throw new HubError("MEASURE_NOT_FOUND", `no measure ${measureId}`, { field: "measureId" });
    if (!canSeeCourt(principal, row.enforcement_case.court_code)) {
      throw new HubError("FORBIDDEN", `measure ${measureId} belongs to another court's case`, { reason: "OTHER_COURTS_CASE" });
    }
    return { measure: row.measure, enforcementCase: row.enforcement_case, debtor: openDebtor(row.debtor) };
  }

  private async resolveAsset(enforcementCase: CaseRow, debtor: DebtorRow, input: MeasureOrderInput): Promise<ResolvedAsset> {
    if (input.assetId) {
      if (!/^[0-9a-f-]{36}$/i.test(input.assetId)) throw invalidField("assetId", "not an asset id this hub issued");
      const [asset] = await this.deps.sql.query<{
        id: string;
        agency_kind: AgencyKind;
        type: string;
        identifier: string;
        estimated_value: string | null;
        details: unknown;
      }>(
        `SELECT id::text AS id, agency_kind, type, identifier, estimated_value::text AS estimated_value, details
           FROM asset WHERE id = $1::uuid AND case_id = $2::uuid AND debtor_id = $3::uuid`,
        [input.assetId, enforcementCase.id, debtor.id],
      );
      if (!asset)
        throw new HubError("NOT_FOUND", `asset ${input.assetId} was not found for this debtor of this case`, { field: "assetId" });
      const { balance, encumbrances, monthlyAmount, withdrawalGround } = asset.details as {
        balance?: string;
        encumbrances?: PriorCharge[];
        monthlyAmount?: string;
        withdrawalGround?: string;
      };
      // A deduction's amount is what the court decides to transfer, never a default. Otherwise the default is what the asset is
      // worth to this case: its estimated value net of the mortgages and earlier seals the agency reports with amounts.
      const worth = asset.estimated_value === null ? undefined : valueNetOfPriorCharges(asset.estimated_value, encumbrances ?? []);
      if (worth && !worth.ok) throw guardRefused(worth);
      const moves = input.kind === "DEDUCT" || input.kind === "WITHHOLD";
      const value = moves ? input.value : (input.value ?? worth?.value);
      if (!value && input.kind === "DEDUCT") throw invalidField("value", "give the amount to deduct (划拨), yuan");
      if (!value && input.kind === "WITHHOLD") throw invalidField("value", "give the total to withhold (at most what is owed), yuan");
      if (!value) throw invalidField("value", "the asset has no estimated value; give the value the measure holds");
      return {
        assetId: asset.id,
        agency: asset.agency_kind,
        identifier: asset.identifier,
        category: assetCategoryOf(asset),
        value,
        balance,
        monthlyIncome: monthlyAmount,
        withdrawalGround: isWithdrawalGround(withdrawalGround) ? withdrawalGround : undefined,
      };
    }
    if (!input.asset) throw invalidField("assetId", "name an asset found by an inquiry (assetId) or identify one (asset)");
    if (!input.asset.identifier.trim()) throw invalidField("asset.identifier", "the registry identifier is required");
    return {
      assetId: null,
      balance: undefined,
      withdrawalGround: undefined,
      agency: input.asset.agency,
      identifier: input.asset.identifier.trim(),
      category: input.asset.category,
      value: input.value ?? input.asset.value,
    };
  }

  private controlCall(
    principal: Principal,
    enforcementCase: CaseRow,
    debtor: DebtorRow,
    input: { kind: MeasureKind; startsOn?: string; expiresOn?: string; notice: Notice; decision: PanelDecision },
    assetIdentifier: string,
    action: ControlCall["action"],
  ): Omit<ControlCallRecord, "idempotencyKey"> {
    return {
      action,
      measureKind: input.kind,
      caseNumber: enforcementCase.case_number,
      courtCode: enforcementCase.court_code,
      debtor: { kind: debtor.kind, idNumber: debtor.id_number, name: debtor.name },
      assetIdentifier,
      from: input.startsOn,
      to: input.expiresOn,
      notice: { number: input.notice.number.trim(), date: input.notice.date },
      decision: { number: input.decision.decisionNumber, date: input.decision.decisionDate, judges: [...input.decision.judges] },
      officer: principal.officer,
    };
  }
}
