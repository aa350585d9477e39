import { Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { ConnectionType } from "../common/pagination.js";

@ObjectType({ description: "One row of the audit trail (全程留痕), sealed into an SM3 hash chain." })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: "position in the chain; null until sealed (within a second)" }) seq?: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => String) actorOrg!: string;
  @Field(() => String, { nullable: true }) actorOfficer?: string | null;
  @Field(() => String, { description: "CASE_REGISTERED, INQUIRY_REQUESTED, AGENCY_EXCHANGE, …" }) action!: string;
  @Field(() => String, { nullable: true }) subjectId?: string | null;
  @Field(() => String, { nullable: true }) purpose?: string | null;
  @Field(() => String, { nullable: true, description: "SM3 of what was sent" }) sentDigest?: string | null;
  @Field(() => String, { nullable: true, description: "SM3 of what came back" }) replyDigest?: string | null;
  @Field(() => GraphQLJSON) detail!: unknown;
  @Field(() => String, { nullable: true }) hash?: string | null;
}

export const AuditEventConnection = ConnectionType(AuditEvent, "AuditEvent");

@ObjectType()
export class AuditVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) rowsChecked!: number;
  @Field(() => Int, { nullable: true, description: "sequence number of the first row that does not fit the chain" })
  firstBrokenSeq?: number;
  @Field(() => String, { nullable: true }) firstBrokenId?: string;
  @Field(() => String, { nullable: true }) reason?: string;
  @Field(() => Int) unsealedRows!: number;
}
