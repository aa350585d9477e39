import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { SanctionEntry as EntryRow } from "../../gateway/persistence/generated/client.js";
import type { HubContext } from "../context.js";
import {
  ChangeRepresentativeInput,
  CorrectionApplicationInput,
  SettlementInput,
  TemporaryLiftingInput,
  CorrectSanctionInput,
  DebtorSecurityInput,
  ExtendSanctionInput,
  ListDishonestDebtorInput,
  RemoveSanctionInput,
  SanctionEntry,
  SanctionFactsInput,
  SanctionOutcome,
} from "./sanctionTypes.js";
import { loadVisibleCase } from "../cases/visibleCase.js";

const date = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);

function toEntry(row: EntryRow): SanctionEntry {
  const cipher = dataCipher();
  return {
    ...row,
    idNumber: cipher.open(row.idNumber),
    startsOn: date(row.startsOn)!,
    expiresOn: date(row.expiresOn),
    removedOn: date(row.removedOn),
    published: cipher.openJson<Record<string, unknown>>(row.published as string),
    orderRecord: row.orderRecord as Record<string, unknown>,
    removalDetail: row.removalDetail as Record<string, unknown> | null,
  };
}

async function entry(ctx: HubContext, id: string): Promise<SanctionEntry> {
  return toEntry(await ctx.hub.prisma.sanctionEntry.findUniqueOrThrow({ where: { id } }));
}

@Resolver(() => SanctionEntry)
export class SanctionResolver {
  @Query(() => SanctionEntry)
  async sanctionEntry(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    const principal = requireRole(ctx.caller);
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await ctx.hub.prisma.sanctionEntry.findUnique({ where: { id } }) : null;
    if (!row) throw new HubError("SANCTION_NOT_FOUND", `no list entry ${id}`, { field: "id" });
    assertCourtAccess(principal, row.courtCode);
    return toEntry(row);
  }

  @Query(() => [SanctionEntry], { description: "The case's list entries, in force and removed, oldest first." })
  async sanctionEntries(@Arg("caseNumber", () => String) caseNumber: string, @Ctx() ctx: HubContext) {
    const enforcementCase = await loadVisibleCase(ctx, caseNumber);
    const rows = await ctx.hub.prisma.sanctionEntry.findMany({
      where: { caseId: enforcementCase.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toEntry);
  }

  @Mutation(() => SanctionOutcome, {
    description:
      "纳入失信被执行人名单 on a ground of 失信规定 art. 1, with the debtor's consumption restriction in the same step " +
      "(限制消费规定 art. 1 para. 2) unless one is in force. Refused for minors (art. 4); on ground 1 when security was given, " +
      "assets under measures cover what is still owed or a settlement is being performed (art. 3); on the creditor's " +
      "application within six months of its application's removal (art. 10 para. 4).",
  })
  async listDishonestDebtor(@Arg("input", () => ListDishonestDebtorInput) input: ListDishonestDebtorInput, @Ctx() ctx: HubContext) {
    const { entryId, created } = await ctx.hub.sanctions.list(ctx.caller, input);
    return { entry: await entry(ctx, entryId), created };
  }

  @Mutation(() => SanctionOutcome, {
    description: "限制消费令 (限制消费规定 arts. 1, 5); an organisation's binds the persons named in boundPersons (art. 3 para. 2).",
  })
  async restrictConsumption(@Arg("input", () => SanctionFactsInput) input: SanctionFactsInput, @Ctx() ctx: HubContext) {
    const { entryId, created } = await ctx.hub.sanctions.restrictConsumption(ctx.caller, input);
    return { entry: await entry(ctx, entryId), created };
  }

  @Mutation(() => SanctionEntry, { description: "失信规定 art. 2: extend by 1 to 3 years in all." })
  async extendSanction(@Arg("input", () => ExtendSanctionInput) input: ExtendSanctionInput, @Ctx() ctx: HubContext) {
    return entry(ctx, await ctx.hub.sanctions.extend(ctx.caller, input));
  }

  @Mutation(() => SanctionEntry, { description: "Correct a published fact (失信规定 art. 11–12)." })
  async correctSanction(@Arg("input", () => CorrectSanctionInput) input: CorrectSanctionInput, @Ctx() ctx: HubContext) {
    return entry(ctx, await ctx.hub.sanctions.correct(ctx.caller, input));
  }

  @Mutation(() => SanctionEntry, {
    description:
      "Remove an entry or lift a consumption restriction, with the reason and its condition on record (失信规定 arts. 2, 10; " +
      "限制消费规定 art. 9); REMOVAL_CONDITION_UNMET names the rule. Delivered ahead of routine traffic.",
  })
  async removeSanction(@Arg("input", () => RemoveSanctionInput) input: RemoveSanctionInput, @Ctx() ctx: HubContext) {
    return entry(ctx, await ctx.hub.sanctions.remove(ctx.caller, input));
  }

  @Mutation(() => SanctionEntry, {
    description: "法发〔2019〕35号 item 17: lift the restriction on the former legal representative and bind the successor.",
  })
  async changeRestrictedRepresentative(
    @Arg("input", () => ChangeRepresentativeInput) input: ChangeRepresentativeInput,
    @Ctx() ctx: HubContext,
  ) {
    return entry(ctx, await ctx.hub.sanctions.changeRepresentative(ctx.caller, input));
  }

  @Mutation(() => SanctionEntry, { description: "法发〔2019〕35号 item 17: an emergency lifting, at most one month." })
  async liftRestrictionTemporarily(@Arg("input", () => TemporaryLiftingInput) input: TemporaryLiftingInput, @Ctx() ctx: HubContext) {
    return entry(ctx, await ctx.hub.sanctions.liftTemporarily(ctx.caller, input));
  }

  @Mutation(() => SanctionEntry, { description: "失信规定 art. 12: record a correction application and its review deadline." })
  async receiveCorrectionApplication(
    @Arg("input", () => CorrectionApplicationInput) input: CorrectionApplicationInput,
    @Ctx() ctx: HubContext,
  ) {
    return entry(ctx, await ctx.hub.sanctions.receiveCorrectionApplication(ctx.caller, input));
  }

  @Mutation(() => Boolean, { description: "Record a settlement being performed, or its breach (失信规定 art. 3 item 4; art. 1 item 6)." })
  async recordSettlement(@Arg("input", () => SettlementInput) input: SettlementInput, @Ctx() ctx: HubContext) {
    await ctx.hub.sanctions.recordSettlement(ctx.caller, input);
    return true;
  }

  @Mutation(() => Boolean, { description: "Record security the debtor gave (失信规定 art. 3 item 1)." })
  async recordDebtorSecurity(@Arg("input", () => DebtorSecurityInput) input: DebtorSecurityInput, @Ctx() ctx: HubContext) {
    if (!input.description) throw invalidField("description", "is required");
    await ctx.hub.sanctions.recordSecurity(ctx.caller, input);
    return true;
  }
}
