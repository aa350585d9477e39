/**
 * Inquiry (查): asking agencies what a debtor of a case holds. Only a debtor of
 * the case may be queried, and only by its court (网络查询冻结规定 2013; Henan enforcement decision (2020):
 * 区分被执行人财产和案外人财产); every inquiry states its purpose for the audit trail.
 */
import type { AgencyKind } from "../../connectors/connector.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { assertCaseAdmits, findCaseAndDebtorForCaller, type CaseRow, type DebtorRow } from "../cases/caseAccess.js";
import type { Principal } from "../../gateway/auth/principal.js";
import type { Dispatcher } from "../../gateway/dispatch/dispatcher.js";
import type { LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import { invalidField } from "../../gateway/errors.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes, ChannelName } from "../../gateway/routing/agencyRoutes.js";
import { isValidDivisionCode } from "../../domain/divisionCode.js";
import { recordInquiry, type InquiryTrigger, type RecordedInquiry } from "./inquiryStore.js";

export interface InquiryRequestInput {
  caseNumber: string;
  debtorIdNumber: string;
  channel: ChannelName;
  /** Omitted: every agency kind the channel serves. */
  agencies?: AgencyKind[];
  purpose: string;
  /** Where the assets are sought, for the local channel; defaults to the court's own division. */
  divisionCode?: string;
}

export const FIRST_INQUIRY_PURPOSE = "立案后首次总对总查询 (Henan High Court supervision opinion, item 2)";

export class InquiryService {
  constructor(
    private readonly deps: {
      sql: Sql;
      routes: AgencyRoutes;
      dispatcher: Dispatcher;
      events: HubEvents;
      lease: { owner: string; leaseMs: number };
    },
  ) {}

  async requestInquiry(caller: Caller, input: InquiryRequestInput): Promise<string> {
    return (await this.requestInquiryRecord(caller, input)).inquiryId;
  }

  /** requestInquiry, returning also the inquiry's row as recorded (see RecordedInquiry.inquiry). */
  async requestInquiryRecord(caller: Caller, input: InquiryRequestInput): Promise<RecordedInquiry> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const purpose = input.purpose.trim();
    if (purpose.length < 2) throw invalidField("purpose", "state why the debtor's assets are being queried");
    if (input.divisionCode !== undefined && !isValidDivisionCode(input.divisionCode)) {
      throw invalidField("divisionCode", "must be a 6-digit administrative division code");
    }
    const { enforcementCase, debtor } = await findCaseAndDebtorForCaller(this.deps.sql, principal, input.caseNumber, input.debtorIdNumber);
    assertCaseAdmits(enforcementCase, "INQUIRY");
    // Recording is one statement (recordInquiry), atomic on its own: wrapping it in a
    // transaction would only add BEGIN and COMMIT round trips to every inquiry.
    const recorded = await this.record(this.deps.sql, principal, enforcementCase, debtor, {
      channel: input.channel,
      agencies: input.agencies,
      purpose,
      trigger: "ON_DEMAND",
      divisionCode: input.divisionCode,
    });
    this.send(enforcementCase, recorded);
    return recorded;
  }

  /** Records an inquiry, in one statement, inside the caller's transaction if it has one; call `send` once it has committed. */
  async record(
    tx: Pick<Sql, "query">,
    principal: Principal,
    enforcementCase: CaseRow,
    debtor: DebtorRow,
    options: {
      channel: ChannelName;
      agencies?: AgencyKind[];
      purpose: string;
      trigger: InquiryTrigger;
      divisionCode?: string;
    },
  ): Promise<RecordedInquiry> {
    const kinds = options.agencies?.length
      ? [...new Set(options.agencies)]
      : options.channel === "NATIONAL"
        ? this.deps.routes.nationalKinds()
        : this.deps.routes.configuredKinds();
    const divisionCode = options.divisionCode ?? enforcementCase.division_code;
    const routes = kinds.map((kind) => this.deps.routes.resolve(kind, options.channel, divisionCode));
    return recordInquiry(
      tx,
      {
        caseId: enforcementCase.id,
        debtorId: debtor.id,
        channel: options.channel,
        trigger: options.trigger,
        purpose: options.purpose,
        requestedBy: principal.officer,
        requestedOrg: principal.org,
        call: {
          caseNumber: enforcementCase.case_number,
          courtCode: enforcementCase.court_code,
          debtor: { kind: debtor.kind, idNumber: debtor.id_number, name: debtor.name },
          purpose: options.purpose,
          officer: principal.officer,
        },
        routes,
      },
      this.deps.lease,
    );
  }

  send(enforcementCase: CaseRow, recorded: RecordedInquiry): void {
    this.deps.dispatcher.dispatch(recorded.parts);
    for (const part of recorded.parts) this.announceQueued(enforcementCase, part, recorded.parts.length);
  }

  private announceQueued(enforcementCase: CaseRow, part: LeasedRequest, openParts: number): void {
    this.deps.events.publish("INQUIRY_PART", {
      caseId: enforcementCase.id,
      courtCode: enforcementCase.court_code,
      inquiryId: part.inquiry_id!,
      partId: part.id,
      agencyKind: part.agency_kind,
      status: "QUEUED",
      openParts,
    });
  }
}
