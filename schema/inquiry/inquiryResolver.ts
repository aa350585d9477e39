import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { HubError } from "../../gateway/errors.js";
import type { AgencyKind, CreditRecord, IdentityRecord, InquiryFindings, MarriageRecord, TaxRecord } from "../../connectors/connector.js";
import type { HubContext } from "../context.js";
import { Asset } from "../assets/assetTypes.js";
import { Debtor, EnforcementCase } from "../cases/caseTypes.js";
import { Inquiry, InquiryPart, InquiryRequestInput } from "./inquiryTypes.js";
import {
  CreditRecord as CreditRecordType,
  IdentityRecord as IdentityRecordType,
  MarriageRecord as MarriageRecordType,
  TaxRecord as TaxRecordType,
} from "../assets/recordTypes.js";
import { toAssetsSeen, toCase, toDebtor, toPart } from "../common/mappers.js";

@Resolver(() => Inquiry)
export class InquiryResolver {
  @Query(() => Inquiry)
  async inquiry(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    const principal = requireRole(ctx.caller);
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? await ctx.hub.prisma.inquiry.findUnique({ where: { id }, include: { enforcementCase: { select: { courtCode: true } } } })
      : null;
    if (!row) throw new HubError("NOT_FOUND", `no inquiry ${id}`, { field: "id" });
    assertCourtAccess(principal, row.enforcementCase.courtCode);
    return row;
  }

  @Mutation(() => Inquiry, {
    description: "查询 on demand: query a debtor of one of the caller's cases at all or some agencies, on a channel.",
  })
  async requestInquiry(@Arg("input", () => InquiryRequestInput) input: InquiryRequestInput, @Ctx() ctx: HubContext) {
    const recorded = await ctx.hub.inquiries.requestInquiryRecord(ctx.caller, {
      ...input,
      agencies: input.agencies as AgencyKind[] | undefined,
      divisionCode: input.divisionCode ?? undefined,
    });
    // The row as the recording statement wrote it: no read-back needed.
    return recorded.inquiry ?? ctx.hub.prisma.inquiry.findUniqueOrThrow({ where: { id: recorded.inquiryId } });
  }

  @FieldResolver(() => EnforcementCase)
  async case(@Root() root: Inquiry, @Ctx() ctx: HubContext) {
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: root.caseId } }));
  }

  @FieldResolver(() => Debtor)
  async debtor(@Root() root: Inquiry, @Ctx() ctx: HubContext) {
    const debtors = await ctx.loaders.debtorsByCase.load(root.caseId);
    return toDebtor(debtors.find((d) => d.id === root.debtorId)!);
  }

  @FieldResolver(() => Boolean, { description: "every part has a final answer" })
  complete(@Root() root: Inquiry): boolean {
    return root.openParts === 0;
  }

  @FieldResolver(() => [InquiryPart])
  async parts(@Root() root: Inquiry, @Ctx() ctx: HubContext) {
    return (await ctx.loaders.partsByInquiry.load(root.id)).map(toPart);
  }
}

@Resolver(() => InquiryPart)
export class InquiryPartResolver {
  @FieldResolver(() => [Asset], { description: "the assets this agency reported, typed, as it reported them" })
  async assets(@Root() root: InquiryPart, @Ctx() ctx: HubContext) {
    return toAssetsSeen(await ctx.loaders.sightingsByPart.load(root.id));
  }

  @FieldResolver(() => IdentityRecordType, { nullable: true })
  identity(@Root() root: InquiryPart): IdentityRecord | undefined {
    return (root.findings as InquiryFindings | null)?.identity;
  }

  @FieldResolver(() => TaxRecordType, { nullable: true })
  tax(@Root() root: InquiryPart): TaxRecord | undefined {
    return (root.findings as InquiryFindings | null)?.tax;
  }

  @FieldResolver(() => CreditRecordType, { nullable: true })
  credit(@Root() root: InquiryPart): CreditRecord | undefined {
    return (root.findings as InquiryFindings | null)?.credit;
  }

  @FieldResolver(() => [MarriageRecordType], {
    nullable: true,
    description: "civil affairs: the debtor's marriage registrations, oldest first; null from other agencies",
  })
  marriages(@Root() root: InquiryPart): MarriageRecord[] | undefined {
    return (root.findings as InquiryFindings | null)?.marriages;
  }

  @FieldResolver(() => Number, { nullable: true, description: "milliseconds from recording to the final answer" })
  durationMs(@Root() root: InquiryPart): number | null {
    return root.finishedAt ? root.finishedAt.getTime() - root.createdAt.getTime() : null;
  }
}
