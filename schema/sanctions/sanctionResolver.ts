import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { SanctionEntry as EntryRow } from "../../gateway/persistence/generated/client.js";
import type { HubContext } from "../context.js";
import {
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
      "纳入失信被执行人名单 on a ground of 失信规定 art. 1. " +
      "Refused for minors (art. 4) and, on ground 1, when assets under measures cover the claim or security was given (art. 3).",
  })
  async listDishonestDebtor(@Arg("input", () => ListDishonestDebtorInput) input: ListDishonestDebtorInput, @Ctx() ctx: HubContext) {
    const { entryId, created } = await ctx.hub.sanctions.list(ctx.caller, input);
    return { entry: await entry(ctx, entryId), created };
  }

  @Mutation(() => SanctionOutcome, { description: "限制消费令 (限制消费规定 art. 1)." })
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
    description: "Remove an entry or lift a consumption restriction, with the reason. Delivered ahead of routine traffic.",
  })
  async removeSanction(@Arg("input", () => RemoveSanctionInput) input: RemoveSanctionInput, @Ctx() ctx: HubContext) {
    return entry(ctx, await ctx.hub.sanctions.remove(ctx.caller, input));
  }

  @Mutation(() => Boolean, { description: "Record security the debtor gave (失信规定 art. 3 item 1)." })
  async recordDebtorSecurity(@Arg("input", () => DebtorSecurityInput) input: DebtorSecurityInput, @Ctx() ctx: HubContext) {
    if (!input.description) throw invalidField("description", "is required");
    await ctx.hub.sanctions.recordSecurity(ctx.caller, input);
    return true;
  }
}
