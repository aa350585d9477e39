import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { requireRole } from "../../gateway/auth/access.js";
import { ROLES } from "../../gateway/auth/principal.js";
import type { SigningMethod } from "../../capabilities/sanctions/delivery/batchSigner.js";
import type { PublishedField } from "../../domain/sanctions/publishedFields.js";
import type { DeliveryMode } from "../../capabilities/sanctions/partners/sanctionPartner.js";
import type { ListName } from "../../capabilities/sanctions/sanctionStore.js";
import type { HubContext } from "../context.js";
import {
  DeadLetter,
  PartnerLag,
  PartnerRegistration,
  SanctionPartner,
  SanctionFeedPage,
  SanctionPartnerInput,
  SanctionSnapshotPage,
} from "./sanctionTypes.js";

@Resolver()
export class SanctionPartnerResolver {
  @Mutation(() => PartnerRegistration, {
    description:
      "Hub administrators: register a partner (a push partner then receives a snapshot) or update its profile; " +
      "a deactivated partner stays inactive.",
  })
  async registerSanctionPartner(@Arg("input", () => SanctionPartnerInput) input: SanctionPartnerInput, @Ctx() ctx: HubContext) {
    const partner = {
      code: input.code,
      name: input.name,
      lists: input.lists as ListName[],
      fields: input.fields as PublishedField[],
      mode: input.mode as DeliveryMode,
      endpoint: input.endpoint ?? null,
      signing: (input.signing ?? "SM2") as SigningMethod,
      secret: input.secret ?? null,
      publicKey: input.publicKey ?? null,
      signerId: input.signerId ?? null,
    };
    return ctx.hub.partners.register(ctx.caller, partner);
  }

  @Mutation(() => SanctionPartner, {
    description: "Supervisors: stop delivering to a partner (its changes wait; its feed is refused with PARTNER_INACTIVE).",
  })
  deactivatePartner(@Arg("id", () => ID) id: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return ctx.hub.partnerActivation.deactivate(ctx.caller, id, reason);
  }

  @Mutation(() => SanctionPartner, { description: "Supervisors: deliver to a deactivated partner again, from where it acknowledged." })
  reactivatePartner(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.hub.partnerActivation.reactivate(ctx.caller, id);
  }

  @Query(() => [PartnerLag], { description: "Supervisors: each partner's backlog and oldest unacknowledged change." })
  sanctionPartners(@Ctx() ctx: HubContext) {
    return ctx.hub.partners.lag(ctx.caller);
  }

  @Query(() => [DeadLetter])
  async sanctionDeadLetters(@Ctx() ctx: HubContext, @Arg("partner", () => String, { nullable: true }) partner?: string) {
    const rows = await ctx.hub.partners.deadLetters(ctx.caller, partner);
    return rows.map((row) => ({
      partner: row.partner_code,
      batchId: row.batch_id,
      changes: row.changes,
      firstSeq: row.first_seq,
      lastSeq: row.last_seq,
      attempts: row.attempts,
      lastError: row.last_error,
    }));
  }

  @Mutation(() => Int, { description: "Supervisors: send a dead-lettered batch again; answers how many changes." })
  replaySanctionBatch(@Arg("batchId", () => ID) batchId: string, @Ctx() ctx: HubContext) {
    return ctx.hub.partners.replay(ctx.caller, batchId);
  }

  @Query(() => String, { description: "The hub's SM2 public key (PEM) that push partners verify batches with." })
  hubSigningKey(@Ctx() ctx: HubContext) {
    // A public key: every role may fetch it, partners above all.
    requireRole(ctx.caller, ...ROLES);
    return ctx.hub.signingKeyPem;
  }

  @Query(() => SanctionFeedPage, {
    description: "Pull partners: changes after the cursor (default: after the acknowledged one), minimised to the profile.",
  })
  sanctionFeed(
    @Ctx() ctx: HubContext,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
  ) {
    return ctx.hub.feed.changes(ctx.caller, after, first ?? 100);
  }

  @Query(() => SanctionSnapshotPage, { description: "Pull partners: the entries in force, then follow sanctionFeed from followFrom." })
  sanctionSnapshot(
    @Ctx() ctx: HubContext,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
  ) {
    return ctx.hub.feed.snapshot(ctx.caller, after, first ?? 100);
  }

  @Mutation(() => String, { description: "Pull partners: everything up to this cursor is applied. Answers the acknowledged cursor." })
  acknowledgeSanctionFeed(@Arg("upTo", () => String) upTo: string, @Ctx() ctx: HubContext) {
    return ctx.hub.feed.acknowledge(ctx.caller, upTo);
  }
}
