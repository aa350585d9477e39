/**
 * The command centre's queries (执行指挥中心, Henan High Court supervision opinion, item 21: 每日巡检): what the console at
 * /console shows, each scoped to the courts the caller supervises by capabilities/supervision.
 */
import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { todayInChina } from "../../domain/calendarDate.js";
import { daysFromTo } from "../../domain/measures/periodDates.js";
import type { RequestRow } from "../../capabilities/supervision/supervisionStore.js";
import { requireRole } from "../../gateway/auth/access.js";
import { invalidField } from "../../gateway/errors.js";
import type { HubContext } from "../context.js";
import { AgencyKindEnum, ChannelEnum } from "../common/enums.js";
import {
  AgencyHour,
  AgencyStats,
  AuditChainState,
  MeasureWatchEnum,
  OpenCase,
  ReinquiryDueCase,
  RequestOutcomeEnum,
  StatsWindowEnum,
  SupervisedCourt,
  SupervisedMeasure,
  SupervisedRequest,
  SupervisedTask,
} from "./supervisionTypes.js";

const COURT = { nullable: true, description: "one court under the supervisor; default all of them" } as const;

function within(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalidField(field, `must be between ${min} and ${max}`);
  return value;
}

@Resolver()
export class SupervisionResolver {
  @Query(() => [SupervisedCourt], { description: "The courts the caller supervises (its own court and those under it)." })
  supervisedCourts(@Ctx() ctx: HubContext): SupervisedCourt[] {
    const principal = requireRole(ctx.caller, "SUPERVISOR");
    return [...(principal.supervises ?? [])]
      .map((code) => ({ code, name: ctx.hub.directory.court(code)?.name ?? code }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  @Query(() => [AgencyStats], {
    description:
      "Per agency and channel: answered, refused, failed and timed-out requests over the window, what is open now, and the " +
      "median and p95 answer time against the agency's service level. Supervisors: their courts; operators: every court, counts only.",
  })
  agencyStats(
    @Arg("window", () => StatsWindowEnum, { defaultValue: StatsWindowEnum.HOUR }) window: StatsWindowEnum,
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    return ctx.hub.supervision.agencyStats(ctx.caller, window, courtCode);
  }

  @Query(() => [AgencyHour], { description: "Requests finished per hour and agency over the last `hours` hours, oldest first." })
  agencyHourly(
    @Ctx() ctx: HubContext,
    @Arg("hours", () => Int, { defaultValue: 24 }) hours: number,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    return ctx.hub.supervision.hourly(ctx.caller, within("hours", hours, 1, 168), courtCode);
  }

  @Query(() => [SupervisedRequest], {
    description: "Supervisors: the requests behind one number of agencyStats (open ones oldest first, finished ones latest first).",
  })
  async agencyRequests(
    @Arg("outcome", () => RequestOutcomeEnum) outcome: RequestOutcomeEnum,
    @Ctx() ctx: HubContext,
    @Arg("window", () => StatsWindowEnum, { defaultValue: StatsWindowEnum.DAY }) window: StatsWindowEnum,
    @Arg("agencyKind", () => AgencyKindEnum, { nullable: true }) agencyKind?: AgencyKindEnum,
    @Arg("channel", () => ChannelEnum, { nullable: true }) channel?: ChannelEnum,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
  ) {
    const rows = await ctx.hub.supervision.requests(ctx.caller, {
      outcome,
      window,
      agencyKind,
      channel,
      courtCode,
      first: first === undefined ? undefined : within("first", first, 1, 500),
    });
    return rows.map(toRequest);
  }

  @Query(() => [SupervisedRequest], { description: "Supervisors: open agency requests, those waiting longest first." })
  async stuckRequests(
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    const rows = await ctx.hub.supervision.requests(ctx.caller, {
      outcome: RequestOutcomeEnum.PENDING,
      window: StatsWindowEnum.DAY,
      courtCode,
      first: within("first", first, 1, 500),
    });
    return rows.map(toRequest);
  }

  @Query(() => [OpenCase], {
    description:
      "Supervisors: cases not finished (执行中 or 中止) registered more than `months` months ago, oldest first " +
      "(Chongqing No. 5 Intermediate Court: 三个月未执结案件予以警示).",
  })
  async casesOpenLongerThan(
    @Arg("months", () => Int) months: number,
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    const rows = await ctx.hub.supervision.casesOpenLongerThan(ctx.caller, within("months", months, 1, 120), courtCode);
    const now = ctx.hub.clock().getTime();
    return rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      courtCode: row.court_code,
      status: row.status,
      creditorName: row.creditor_name,
      claimAmount: row.claim_amount,
      registeredAt: row.created_at,
      daysOpen: Math.floor((now - row.created_at.getTime()) / 86_400_000),
    }));
  }

  @Query(() => [ReinquiryDueCase], {
    description:
      "Supervisors: 终本 cases whose periodic inquiry, every six months for five years after the conclusion (法〔2016〕373号 " +
      "art. 16), is due within `withinDays` days or overdue, soonest first.",
  })
  casesDueReinquiry(
    @Ctx() ctx: HubContext,
    @Arg("withinDays", () => Int, { defaultValue: 30 }) withinDays: number,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    return ctx.hub.supervision.casesDueReinquiry(ctx.caller, within("withinDays", withinDays, 0, 366), courtCode);
  }

  @Query(() => [SupervisedMeasure], {
    description:
      "Supervisors: measures expiring within `days` days or lapsed in the last `days` days (Henan High Court supervision opinion, " +
      "item 13), or unconfirmed by their agency; with case and court, soonest expiry first.",
  })
  async supervisedMeasures(
    @Arg("watch", () => MeasureWatchEnum) watch: MeasureWatchEnum,
    @Ctx() ctx: HubContext,
    @Arg("days", () => Int, { defaultValue: 30 }) days: number,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    const rows = await ctx.hub.supervision.measures(ctx.caller, watch, within("days", days, 0, 3660), courtCode);
    const today = todayInChina(ctx.hub.clock());
    return rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      courtCode: row.court_code,
      kind: row.kind,
      status: row.status,
      agencyKind: row.agency_kind,
      assetIdentifier: row.asset_identifier,
      value: row.value,
      expiresOn: row.expires_on,
      daysLeft: daysFromTo(today, row.expires_on),
      lapsedAt: row.lapsed_at,
    }));
  }

  @Query(() => [SupervisedTask], {
    description: "Supervisors: open delegated tasks of the courts under them, due within `withinHours` hours, overdue ones first.",
  })
  supervisedTasksDue(
    @Ctx() ctx: HubContext,
    @Arg("withinHours", () => Int, { defaultValue: 72 }) withinHours: number,
    @Arg("courtCode", () => String, COURT) courtCode?: string,
  ) {
    return ctx.hub.supervision.tasksDue(ctx.caller, within("withinHours", withinHours, 0, 24 * 366), courtCode);
  }

  @Query(() => AuditChainState, { description: "The audit chain's last sealed head and the rows waiting to be sealed." })
  async auditChainState(@Ctx() ctx: HubContext) {
    const state = await ctx.hub.supervision.chainState(ctx.caller);
    return {
      sealedSeq: state.sealed_seq,
      sealedHash: state.sealed_hash,
      sealedAt: state.sealed_at,
      unsealed: state.unsealed,
      oldestUnsealedAt: state.oldest_unsealed_at,
    };
  }
}

function toRequest(row: RequestRow): SupervisedRequest {
  return {
    id: row.id,
    caseNumber: row.case_number,
    courtCode: row.court_code,
    // The columns hold only the kinds and channels the hub knows (connectors/connector.ts AGENCY_KINDS, enum Channel).
    agencyKind: row.agency_kind as AgencyKindEnum,
    channel: row.channel as ChannelEnum,
    operation: row.operation,
    status: row.status,
    attempts: row.attempts,
    failedRounds: row.failed_rounds,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    deadlineAt: row.deadline_at,
  };
}
