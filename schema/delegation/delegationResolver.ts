import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import type { AgencyKind } from "../../connectors/connector.js";
import { parseCaseNumber } from "../../domain/caseNumber.js";
import type { Court as DirectoryCourt } from "../../domain/courts/competentCourt.js";
import { runningDeadline } from "../../domain/delegation/deadlines.js";
import type { TaskAction } from "../../domain/delegation/taskLifecycle.js";
import type { DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { assertCourtAccess, canSeeCourt, requireRole } from "../../gateway/auth/access.js";
import type { Principal } from "../../gateway/auth/principal.js";
import { recordDirectorApproval } from "../../capabilities/delegation/directorApprovals.js";
import type { ReportedAsset, TaskResultsInput } from "../../capabilities/delegation/taskResults.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import type { DelegatedTaskEvent } from "../../gateway/events/hubEvents.js";
import { SIGHTING_WITH_ASSET, type HubContext } from "../context.js";
import { afterCursor, pageSize, toConnection } from "../common/pagination.js";
import {
  CompleteTaskInput,
  Court,
  DelegateTaskInput,
  DelegatedTask,
  DelegatedTaskConnection,
  DelegatedTaskStatusEnum,
  DelegatedTaskUpdate,
  DirectorApproval,
  DirectorApprovalInput,
  type FoundAssetInput,
  TaskDirectionEnum,
  TaskDocument,
  WithdrawalRequestStatusEnum,
} from "./delegationTypes.js";
import { toAssetsSeen } from "../common/mappers.js";
import { toMeasure } from "../measures/measureResolver.js";

/** The case number as the hub stores it (full-width parentheses), so either way of writing it finds the tasks. */
function caseNumberOf(value: string): string {
  const parsed = parseCaseNumber(value);
  if (!parsed.ok) throw invalidField("caseNumber", parsed.reason);
  return parsed.value.caseNumber;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const canSeeTask = (principal: Principal, task: { delegatingCourt: string; targetCourt: string }) =>
  canSeeCourt(principal, task.delegatingCourt) || canSeeCourt(principal, task.targetCourt);

function toCourt(ctx: HubContext, code: string): Court {
  const court: DirectoryCourt | undefined = ctx.hub.directory.court(code);
  // A task's courts were checked against the directory when it was delegated; a court dropped from a
  // later directory file is still shown by its code.
  return court
    ? { ...court, hub: ctx.hub.directory.hubOf(court) }
    : { code, name: code, level: "UNKNOWN", province: "", divisions: [], hub: "" };
}

function toFoundAsset(input: FoundAssetInput, index: number): ReportedAsset {
  const base = {
    agency: input.agency as AgencyKind,
    identifier: input.identifier.trim(),
    description: input.description,
    estimatedValue: input.estimatedValue,
    encumbrances: [],
  };
  const given = [input.realEstate, input.vehicle, input.other].filter(Boolean).length;
  if (given !== 1) throw invalidField(`results.assets[${index}]`, "give exactly one of realEstate, vehicle, other");
  if (input.realEstate) return { ...base, type: "REAL_ESTATE", ...input.realEstate };
  if (input.vehicle) return { ...base, type: "VEHICLE", ...input.vehicle };
  return { ...base, type: "OTHER", ...input.other! };
}

/** Reads tasks for GraphQL; who may see them is checked by the callers. */
async function loadTasks(ctx: HubContext, where: object, take?: number) {
  const rows = await ctx.hub.prisma.delegatedTask.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
    include: {
      steps: { orderBy: { seq: "asc" } },
      documents: { orderBy: [{ stepSeq: "asc" }, { name: "asc" }], omit: { content: true } },
      sightings: { include: SIGHTING_WITH_ASSET, orderBy: { identifier: "asc" } },
      measure: true,
    },
  });
  const now = ctx.hub.clock().getTime();
  return rows.map((row) => {
    const running = runningDeadline(
      { kind: row.kind as DelegatedTaskKind, status: row.status, sentAt: row.sentAt, acceptedAt: row.acceptedAt },
      ctx.hub.delegationDeadlines,
    );
    const results = row.results as Pick<TaskResultsInput, "summary" | "control"> | null;
    return {
      ...dataCipher().openFields(row, ["debtorIdNumber", "debtorName"]),
      kind: row.kind as DelegatedTask["kind"],
      status: row.status as DelegatedTaskStatusEnum,
      delegatingCourt: toCourt(ctx, row.delegatingCourt),
      targetCourt: toCourt(ctx, row.targetCourt),
      deadline: running ? { ...running, overdue: running.dueAt.getTime() < now } : null,
      results: results ? { summary: results.summary, assets: toAssetsSeen(row.sightings) as never, control: results.control } : null,
      measure: row.measure && toMeasure(row.measure),
      steps: row.steps.map((step) => ({ ...step, status: step.status as DelegatedTaskStatusEnum })),
      withdrawalRequest: row.withdrawalRequestedAt
        ? {
            status: row.withdrawalRefusedAt ? WithdrawalRequestStatusEnum.REFUSED : WithdrawalRequestStatusEnum.PENDING,
            requestedAt: row.withdrawalRequestedAt,
            requestedBy: row.withdrawalRequestedBy!,
            reason: row.withdrawalReason,
            refusedAt: row.withdrawalRefusedAt,
            refusal: row.withdrawalRefusal,
          }
        : null,
    };
  });
}

async function visibleTask(ctx: HubContext, id: string) {
  const principal = requireRole(ctx.caller);
  const [task] = UUID.test(id) ? await loadTasks(ctx, { id }) : [];
  if (!task) throw new HubError("NOT_FOUND", `no delegated task ${id}`, { field: "id" });
  if (!canSeeTask(principal, { delegatingCourt: task.delegatingCourt.code, targetCourt: task.targetCourt.code })) {
    throw new HubError("FORBIDDEN", `task ${id} is between other courts`, { reason: "NOT_A_PARTY" });
  }
  return task;
}

/** A subscription to the whole topic that hands on only what `keep` accepts; return() still closes it at once. */
function only<T>(source: AsyncIterableIterator<T>, keep: (event: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: () => source.return!(),
    throw: (error: unknown) => source.throw!(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

@Resolver(() => DelegatedTask)
export class DelegationResolver {
  @Query(() => Court, {
    description:
      "The court competent where an asset or person is: the basic court of the district or county, else the city's intermediate court.",
  })
  competentCourt(@Arg("divisionCode", () => String) divisionCode: string, @Ctx() ctx: HubContext): Court {
    requireRole(ctx.caller);
    const resolved = ctx.hub.directory.competentCourt(divisionCode.trim());
    if (!resolved.ok) throw guardRefused({ ...resolved, field: "divisionCode" });
    return toCourt(ctx, resolved.court.code);
  }

  @Query(() => DelegatedTask, { description: "A task the caller's court delegated or received (supervisors: any)." })
  delegatedTask(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    return visibleTask(ctx, id);
  }

  @Query(() => DelegatedTaskConnection, {
    description: "The caller's court's tasks, delegated (OUTGOING) or received (INCOMING), oldest first.",
  })
  async delegatedTasks(
    @Arg("direction", () => TaskDirectionEnum) direction: TaskDirectionEnum,
    @Ctx() ctx: HubContext,
    @Arg("status", () => DelegatedTaskStatusEnum, { nullable: true }) status?: DelegatedTaskStatusEnum,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: another court's tasks" }) courtCode?: string,
    @Arg("caseNumber", () => String, { nullable: true, description: "only the tasks of one case" }) caseNumber?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const principal = requireRole(ctx.caller);
    const court = courtCode ?? principal.org;
    if (!canSeeCourt(principal, court))
      throw new HubError("FORBIDDEN", `${principal.org} may not list ${court}'s tasks`, { reason: "OTHER_COURT" });
    const size = pageSize(first);
    const where = {
      ...(direction === TaskDirectionEnum.OUTGOING ? { delegatingCourt: court } : { targetCourt: court }),
      ...(status ? { status } : {}),
      ...(caseNumber ? { caseNumber: caseNumberOf(caseNumber) } : {}),
      ...afterCursor(after),
    };
    return toConnection(await loadTasks(ctx, where, size + 1), size);
  }

  @Query(() => [DelegatedTask], {
    description:
      "Supervisors (Henan High Court supervision opinion, item 21, 每日巡检): open tasks of a court, delegated or received, " +
      "whose deadline falls within `withinHours`, overdue ones included, soonest first.",
  })
  async delegatedTasksDue(
    @Arg("withinHours", () => Int) withinHours: number,
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, { nullable: true, description: "default the supervisor's own court" }) courtCode?: string,
  ) {
    const principal = requireRole(ctx.caller, "SUPERVISOR");
    if (withinHours < 0 || withinHours > 24 * 366) throw invalidField("withinHours", "must be between 0 and 8784");
    const court = courtCode ?? principal.org;
    assertCourtAccess(principal, court);
    const due = await ctx.hub.delegationWatch.due(withinHours, court);
    const tasks = new Map((await loadTasks(ctx, { id: { in: due.map((t) => t.id) } })).map((task) => [task.id, task]));
    return due.map((t) => tasks.get(t.id)!);
  }

  @Mutation(() => DelegatedTask, {
    description:
      "事项委托: delegate one task of the caller's court's case to another court (Henan High Court supervision opinion, item 18).",
  })
  async delegateTask(@Arg("input", () => DelegateTaskInput) input: DelegateTaskInput, @Ctx() ctx: HubContext) {
    const id = await ctx.hub.delegation.delegate(ctx.caller, { ...input, kind: input.kind });
    return visibleTask(ctx, id);
  }

  @Mutation(() => DelegatedTask, { description: "签收: the target court has received the task." })
  receiveDelegatedTask(@Arg("taskId", () => ID) taskId: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { taskId, action: "RECEIVE" });
  }

  @Mutation(() => DelegatedTask, { description: "受理: the target court takes the task on; its completion deadline starts." })
  acceptDelegatedTask(@Arg("taskId", () => ID) taskId: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { taskId, action: "ACCEPT" });
  }

  @Mutation(() => DelegatedTask, {
    description: "办结: results and documents; assets found by a QUERY or INVESTIGATE join the case's assets.",
  })
  completeDelegatedTask(@Arg("input", () => CompleteTaskInput) input: CompleteTaskInput, @Ctx() ctx: HubContext) {
    return this.step(ctx, {
      taskId: input.taskId,
      action: "COMPLETE",
      results: {
        summary: input.results.summary,
        assets: (input.results.assets ?? []).map(toFoundAsset),
        control: input.results.control ?? undefined,
      },
      documents: input.documents,
    });
  }

  @Mutation(() => DelegatedTask, { description: "退回: the target court gives the task back, with reasons." })
  returnDelegatedTask(@Arg("taskId", () => ID) taskId: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { taskId, action: "RETURN", reason });
  }

  @Mutation(() => DelegatedTask, { description: "不予受理: the target court refuses the task, with reasons." })
  rejectDelegatedTask(@Arg("taskId", () => ID) taskId: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { taskId, action: "REJECT", reason });
  }

  @Mutation(() => DelegatedTask, { description: "撤回: the delegating court withdraws the task, before it is accepted." })
  withdrawDelegatedTask(
    @Arg("taskId", () => ID) taskId: string,
    @Ctx() ctx: HubContext,
    @Arg("reason", () => String, { nullable: true }) reason?: string,
  ) {
    return this.step(ctx, { taskId, action: "WITHDRAW", reason });
  }

  @Mutation(() => DirectorApproval, {
    description:
      "局长审批: record the enforcement director's approval for doing work in person in another province instead of delegating it " +
      "(Henan High Court supervision opinion, item 18; Nanzhao court enforcement minutes (2020)).",
  })
  async recordDirectorApproval(@Arg("input", () => DirectorApprovalInput) input: DirectorApprovalInput, @Ctx() ctx: HubContext) {
    const id = await recordDirectorApproval(ctx.hub, ctx.caller, input);
    const row = await ctx.hub.prisma.directorApproval.findUniqueOrThrow({ where: { id } });
    return { ...row, approvedOn: row.approvedOn.toISOString().slice(0, 10) };
  }

  @Subscription(() => DelegatedTaskUpdate, {
    description:
      "Every step of the tasks the caller's court delegated or received, and their deadline reminders and overdue notices (graphql-ws).",
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const principal = requireRole(ctx.caller);
      const court = (args.courtCode as string | undefined) ?? principal.org;
      if (!canSeeCourt(principal, court))
        throw new HubError("FORBIDDEN", `${principal.org} may not follow ${court}'s tasks`, { reason: "OTHER_COURT" });
      return only(
        ctx.hub.events.pubSub.subscribe("DELEGATED_TASK"),
        (event) => event.delegatingCourt === court || event.targetCourt === court,
      );
    },
  })
  delegatedTaskUpdates(
    @Root() event: DelegatedTaskEvent,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: another court" }) _courtCode?: string,
  ): DelegatedTaskUpdate {
    return { ...event, status: event.status as DelegatedTaskStatusEnum };
  }

  private async step(
    ctx: HubContext,
    input: {
      taskId: string;
      action: TaskAction;
      reason?: string;
      results?: TaskResultsInput;
      documents?: { name: string; contentBase64: string }[];
    },
  ) {
    const id = await ctx.hub.delegation.act(ctx.caller, input);
    return visibleTask(ctx, id);
  }
}

@Resolver(() => TaskDocument)
export class TaskDocumentResolver {
  @FieldResolver(() => String, { description: "the file, base64; read only when asked for (documents can be large)" })
  async contentBase64(@Root() document: TaskDocument, @Ctx() ctx: HubContext): Promise<string> {
    // Reached only through a task the caller may see (visibleTask), so no second access check.
    const row = await ctx.hub.prisma.delegatedTaskDocument.findUniqueOrThrow({ where: { id: document.id }, select: { content: true } });
    return Buffer.from(row.content).toString("base64");
  }
}
