/**
 * Courts manage list entries: list a debtor of their own case on the dishonest-debtor list
 * (失信规定 art. 1), impose a consumption restriction (限制消费规定), extend, correct and remove
 * entries. Every guard of domain/sanctions runs before anything is written; each change is
 * appended to the change log and queued for the partners in the same transaction (sanctionStore).
 */
import { randomUUID } from "node:crypto";
import { isCalendarDate, todayInChina } from "../../domain/calendarDate.js";
import { ageOn } from "../../domain/identity/age.js";
import { checkNotCovered } from "../../domain/sanctions/coveredByMeasures.js";
import { checkGround, type ListingGround } from "../../domain/sanctions/listingGround.js";
import { checkRestrictionOnRecord } from "../../domain/sanctions/restrictionOnRecord.js";
import { checkExtension, listingLastDay } from "../../domain/sanctions/listingPeriod.js";
import { checkNotMinor } from "../../domain/sanctions/minor.js";
import type { PublishedRecord } from "../../domain/sanctions/publishedFields.js";
import { checkRemoval, hasExpired, REMOVAL_RULES, type RemovalReason } from "../../domain/sanctions/removalReason.js";
import {
  changeLegalRepresentative,
  checkBoundPersons,
  checkTemporaryLifting,
  type BoundPerson,
} from "../../domain/sanctions/boundPersons.js";
import { checkCreditorApplicationBar } from "../../domain/sanctions/creditorApplicationBar.js";
import {
  correctionDeadlines,
  listingDecision,
  removalDueBy,
  restrictionOrder,
  type DebtorStanding,
  type OrderRecord,
} from "../../domain/sanctions/orderContents.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { assertCaseAdmits, debtorDigest, findCaseAndDebtorForCaller, lockCaseAdmitting } from "../cases/caseAccess.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { measuresOnCase } from "../measures/measuresOnCase.js";
import { claimOf, claimOn } from "../cases/caseClaim.js";
import type { CaseStatus } from "../../domain/cases/caseLifecycle.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import {
  appendChange,
  changeRecordOf,
  ENTRY_COLUMNS,
  openEntry,
  type ChangeOperation,
  type EntryRow,
  type ListName,
} from "./sanctionStore.js";

/** What the court states when it lists a debtor or restricts consumption (失信规定 art. 6 items 3–5). */
export interface EntryFacts {
  caseNumber: string;
  debtorIdNumber: string;
  /** The court's decision (决定书) number. */
  decisionNumber: string;
  /** Default: today. */
  startsOn?: string;
  /** 生效法律文书确定的义务 */
  obligation: string;
  /** 被执行人的履行情况 */
  performance: string;
  /** 执行依据的制作单位和文号 */
  enforcementBasis: string;
  /** Organisations: 法定代表人或者负责人姓名. */
  legalRepresentative?: string;
  /** 院长签发: who signed the decision or order (失信规定 art. 5; 限制消费规定 art. 5). */
  signedBy: string;
  /** The items restricted (限制消费规定 art. 3 para. 1); default all nine. */
  items?: string[] | null;
  /** Organisations: the persons a restriction binds (限制消费规定 art. 3 para. 2). */
  boundPersons?: BoundPerson[] | null;
}

/** What a listing adds: the ground, the standing that calls for reports (失信规定 art. 8), whose application. */
export interface ListingFacts extends EntryFacts {
  ground: string;
  conductDetail?: string;
  standing?: DebtorStanding | null;
  /** Listed on the creditor's application (失信规定 art. 10 para. 4 bars it for six months after item 3). */
  onCreditorApplication?: boolean | null;
}

export interface Removal {
  entryId: string;
  reason: string;
  /** The document the removal rests on: the creditor's written application, a ruling, the court's decision. */
  basisDocument?: string | null;
  /** SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY: RETRIAL or BANKRUPTCY. */
  suspensionBasis?: string | null;
  /** EARLY_REMOVAL: ACTIVE_PERFORMANCE or CORRECTION (失信规定 art. 2 para. 3). */
  earlyRemovalBasis?: string | null;
}

export interface Correction {
  entryId: string;
  obligation?: string;
  performance?: string;
  enforcementBasis?: string;
  legalRepresentative?: string;
  name?: string;
}

const CORRECTABLE = ["obligation", "performance", "enforcementBasis", "legalRepresentative", "name"] as const;

export class SanctionService {
  constructor(private readonly deps: { sql: Sql; clock: () => Date }) {}

  /** 纳入失信被执行人名单. The same decision submitted again finds the entry already recorded. */
  list(caller: Caller, input: ListingFacts): Promise<{ entryId: string; created: boolean }> {
    const ground = checkGround(input.ground);
    if (!ground.ok) throw guardRefused(ground);
    return this.create(
      caller,
      "DISHONEST_DEBTOR",
      input,
      ground.ground,
      [ground.conduct, input.conductDetail?.trim()].filter(Boolean).join("；"),
    );
  }

  /** 限制消费令 (限制消费规定 art. 1): no period; lifted on performance or security (art. 9). */
  restrictConsumption(caller: Caller, input: EntryFacts): Promise<{ entryId: string; created: boolean }> {
    return this.create(caller, "CONSUMPTION_RESTRICTION", input, null, "未按执行通知书指定的期间履行生效法律文书确定的给付义务");
  }

  /** 失信规定 art. 2: by 1 to 3 years in all, for grounds 2–6, on a basis the article names. */
  async extend(caller: Caller, input: { entryId: string; years: number; basis: string; decisionNumber: string }): Promise<string> {
    return this.change(caller, input.entryId, "EXTEND", (entry) => {
      if (entry.list !== "DISHONEST_DEBTOR" || entry.ground === null) {
        throw new HubError("SANCTION_NOT_EXTENDABLE", "only dishonest-debtor entries have a period to extend", { list: entry.list });
      }
      const extension = checkExtension({
        ground: entry.ground as never,
        startsOn: entry.starts_on,
        alreadyExtendedYears: entry.extension_years,
        years: input.years,
        basis: input.basis,
      });
      if (!extension.ok) throw guardRefused(extension);
      return {
        set: { expires_on: extension.expiresOn, extension_years: extension.extensionYears },
        published: { ...entry.published, expiresOn: extension.expiresOn },
        detail: {
          years: input.years,
          basis: input.basis,
          decisionNumber: input.decisionNumber,
          from: entry.expires_on,
          to: extension.expiresOn,
        },
      };
    });
  }

  /** 失信规定 art. 11–12: a wrong published fact is corrected; the partners receive the corrected entry. */
  async correct(caller: Caller, input: Correction): Promise<string> {
    const patch: PublishedRecord = {};
    for (const field of CORRECTABLE) {
      const value = input[field];
      if (value === undefined || value === null) continue;
      if (!value.trim()) throw invalidField(field, "must not be blank");
      patch[field] = value.trim();
    }
    if (Object.keys(patch).length === 0) throw invalidField("entryId", `name at least one field to correct (${CORRECTABLE.join(", ")})`);
    return this.change(caller, input.entryId, "CORRECT", (entry) => ({
      set: {},
      published: { ...entry.published, ...patch },
      detail: {
        corrected: patch,
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, entry.published[k as keyof PublishedRecord] ?? null])),
      },
    }));
  }

  /** 失信规定 arts. 2, 10; 限制消费规定 art. 9: each reason with its condition on record. Safe to repeat. */
  async remove(caller: Caller, input: Removal): Promise<string> {
    const today = todayInChina(this.deps.clock());
    return this.change(caller, input.entryId, "REMOVE", async (entry, tx, actor) => {
      const facts = await removalFactsOf(tx, entry, today);
      const check = checkRemoval({ ...input, ...facts, list: entry.list, expiresOn: entry.expires_on });
      if (!check.ok) throw guardRefused(check);
      const detail = {
        rule: check.rule,
        basisDocument: input.basisDocument ?? null,
        suspensionBasis: input.suspensionBasis ?? null,
        earlyRemovalBasis: input.earlyRemovalBasis ?? null,
        dueBy: removalDueBy(today),
      };
      // Performed or terminated, the debt no longer binds the debtor's consumption either (限制消费规定 art. 9): the
      // restriction made with the listing is lifted in the same transaction, and reaches the partners with it.
      if (entry.list === "DISHONEST_DEBTOR" && (check.reason === "PERFORMED" || check.reason === "ENFORCEMENT_TERMINATED")) {
        const restriction = openEntry(
          (
            await tx.query<EntryRow>(
              `SELECT ${ENTRY_COLUMNS} FROM sanction_entry WHERE status = 'LISTED' AND list = 'CONSUMPTION_RESTRICTION'
                  AND id = (SELECT linked_entry_id FROM sanction_entry WHERE id = $1::uuid) FOR UPDATE`,
              [entry.id],
            )
          )[0],
        );
        if (restriction) await this.write(tx, restriction, "REMOVE", this.removal(restriction, check.reason, detail), actor);
      }
      return this.removal(entry, check.reason, detail);
    });
  }

  /**
   * 法发〔2019〕35号 item 17: the organisation's legal representative changed; the former leaves the restriction, the
   * successor is bound. The partners receive the entry with its new persons.
   */
  async changeRepresentative(
    caller: Caller,
    input: { entryId: string; formerIdNumber: string; successorName: string; successorIdNumber: string; evidence: string },
  ): Promise<string> {
    return this.change(caller, input.entryId, "CORRECT", (entry) => {
      if (entry.list !== "CONSUMPTION_RESTRICTION") {
        throw new HubError("SANCTION_NOT_A_RESTRICTION", "only a consumption restriction binds an organisation's persons", {
          list: entry.list,
        });
      }
      const change = changeLegalRepresentative(entry.published.boundPersons ?? [], {
        formerIdNumber: input.formerIdNumber,
        successor: { name: input.successorName, idNumber: input.successorIdNumber },
        evidence: input.evidence,
      });
      if (!change.ok) throw guardRefused(change);
      return {
        set: {},
        published: { ...entry.published, legalRepresentative: input.successorName, boundPersons: change.persons },
        detail: {
          rule: "法发〔2019〕35号 item 17",
          // Digests, not ID numbers: the audit trail is kept for good and is not sealed (dataAtRest.ts).
          formerDigest: debtorDigest(input.formerIdNumber),
          successorDigest: debtorDigest(input.successorIdNumber),
          evidence: input.evidence,
        },
        action: "SANCTION_REPRESENTATIVE_CHANGED",
      };
    });
  }

  /** 法发〔2019〕35号 item 17: a restricted person may travel for an emergency, for at most a month, with the president's approval. */
  async liftTemporarily(
    caller: Caller,
    input: { entryId: string; idNumber: string; from: string; until: string; approvedBy: string; reason: string },
  ): Promise<string> {
    return this.change(caller, input.entryId, "CORRECT", (entry) => {
      const lifting = checkTemporaryLifting(input);
      const { idNumber: _sealed, ...withoutIdNumber } = input;
      if (!lifting.ok) throw guardRefused(lifting);
      const persons = entry.published.boundPersons ?? [];
      const bound = persons.some((person) => person.idNumber === input.idNumber);
      if (entry.list !== "CONSUMPTION_RESTRICTION" || (!bound && input.idNumber !== entry.id_number)) {
        throw invalidField("idNumber", "names no one this consumption restriction binds");
      }
      const published = bound
        ? {
            ...entry.published,
            boundPersons: persons.map((p) => (p.idNumber === input.idNumber ? { ...p, liftedUntil: lifting.liftedUntil } : p)),
          }
        : { ...entry.published, liftedUntil: lifting.liftedUntil };
      return {
        set: {},
        published,
        detail: { rule: "法发〔2019〕35号 item 17", ...withoutIdNumber, idDigest: debtorDigest(input.idNumber) },
        action: "SANCTION_TEMPORARILY_LIFTED",
      };
    });
  }

  /** 失信规定 art. 12: a written application for correction, with the deadlines it starts. Partners learn nothing of it. */
  async receiveCorrectionApplication(caller: Caller, input: { entryId: string; receivedOn: string; grounds: string }) {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    if (!isCalendarDate(input.receivedOn) || input.receivedOn > today)
      throw invalidField("receivedOn", "must be a YYYY-MM-DD date, not after today");
    const deadlines = correctionDeadlines(input.receivedOn);
    await this.deps.sql.transaction(async (tx) => {
      const entry = await this.lockEntry(tx, principal, input.entryId);
      const application = { receivedOn: input.receivedOn, grounds: input.grounds, ...deadlines, rule: "失信规定 art. 12" };
      await tx.query(
        `UPDATE sanction_entry SET order_record = jsonb_set(order_record, '{corrections}',
           coalesce(order_record->'corrections', '[]'::jsonb) || $2::jsonb) WHERE id = $1::uuid`,
        [entry.id, JSON.stringify([application])],
      );
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "SANCTION_CORRECTION_APPLIED",
        caseId: entry.case_id,
        debtorId: entry.debtor_id,
        subjectId: entry.id,
        purpose: "失信规定 art. 12",
        detail: application,
      });
    });
    return input.entryId;
  }

  /** A settlement (执行和解) the debtor performs, or its breach: the bar of 失信规定 art. 3 item 4 follows it. */
  async recordSettlement(
    caller: Caller,
    input: { caseNumber: string; debtorIdNumber: string; agreedOn: string; terms: string; breachedOn?: string | null },
  ): Promise<void> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    if (!isCalendarDate(input.agreedOn) || input.agreedOn > today)
      throw invalidField("agreedOn", "must be a YYYY-MM-DD date, not after today");
    const breachedOn = input.breachedOn ?? null;
    if (breachedOn !== null && (!isCalendarDate(breachedOn) || breachedOn < input.agreedOn || breachedOn > today)) {
      throw invalidField("breachedOn", "must be a date between the agreement and today");
    }
    const { enforcementCase, debtor } = await findCaseAndDebtorForCaller(this.deps.sql, principal, input.caseNumber, input.debtorIdNumber);
    // The terms are free text about the debtor's affairs: sealed like other personal data (dataAtRest.ts).
    const terms = dataCipher().seal(input.terms);
    await this.deps.sql.transaction(async (tx) => {
      // One settlement per agreement day: recording its breach updates it.
      const [updated] = await tx.query<{ id: string }>(
        `UPDATE debtor_settlement SET breached_on = $4::date, terms = $5
          WHERE case_id = $1::uuid AND debtor_id = $2::uuid AND agreed_on = $3::date RETURNING id::text AS id`,
        [enforcementCase.id, debtor.id, input.agreedOn, breachedOn, terms],
      );
      if (!updated) {
        await tx.query(
          `INSERT INTO debtor_settlement (id, case_id, debtor_id, agreed_on, terms, breached_on, recorded_by)
             VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::date, $4, $5::date, $6)`,
          [enforcementCase.id, debtor.id, input.agreedOn, terms, breachedOn, principal.officer],
        );
      }
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: breachedOn ? "DEBTOR_SETTLEMENT_BREACHED" : "DEBTOR_SETTLEMENT_RECORDED",
        caseId: enforcementCase.id,
        debtorId: debtor.id,
        detail: { agreedOn: input.agreedOn, breachedOn, terms: input.terms },
      });
    });
  }

  /** Security the debtor gave: it bars listing on art. 1 item 1 (失信规定 art. 3 item 1). */
  async recordSecurity(caller: Caller, input: { caseNumber: string; debtorIdNumber: string; description: string }): Promise<void> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    if (!input.description.trim()) throw invalidField("description", "say what security was given");
    const { enforcementCase, debtor } = await findCaseAndDebtorForCaller(this.deps.sql, principal, input.caseNumber, input.debtorIdNumber);
    await this.deps.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO debtor_security (id, case_id, debtor_id, description, recorded_by)
           VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4)`,
        [enforcementCase.id, debtor.id, input.description.trim(), principal.officer],
      );
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "DEBTOR_SECURITY_RECORDED",
        caseId: enforcementCase.id,
        debtorId: debtor.id,
        detail: { description: input.description.trim() },
      });
    });
  }

  /** 失信规定 art. 10 para. 2: entries whose period has ended leave the list by themselves. */
  async removeExpired(): Promise<number> {
    const today = todayInChina(this.deps.clock());
    const due = await this.deps.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM sanction_entry WHERE status = 'LISTED' AND expires_on < $1::date ORDER BY expires_on, id LIMIT 1000`,
      [today],
    );
    let removed = 0;
    for (const { id } of due) {
      const done = await this.deps.sql.transaction(async (tx) => {
        const entry = openEntry(
          (
            await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM sanction_entry WHERE id = $1::uuid AND status = 'LISTED' FOR UPDATE`, [
              id,
            ])
          )[0],
        );
        // Checked again under the row lock: an extension may have moved the last day meanwhile.
        if (!entry || !hasExpired(entry.expires_on, today)) return false;
        await this.write(tx, entry, "REMOVE", this.removal(entry, "EXPIRED"), { org: "HUB", officer: null });
        return true;
      });
      if (done) removed++;
    }
    return removed;
  }

  private removal(entry: EntryRow, reason: RemovalReason, detail: Record<string, unknown> = { rule: REMOVAL_RULES[reason] }) {
    const today = todayInChina(this.deps.clock());
    return {
      set: { status: "REMOVED", removal_reason: reason, removed_on: today, removal_detail: JSON.stringify(detail) },
      published: entry.published,
      detail: { reason, ...detail },
    };
  }

  private async create(caller: Caller, list: ListName, input: EntryFacts & Partial<ListingFacts>, ground: string | null, conduct: string) {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    const startsOn = input.startsOn ?? today;
    if (!isCalendarDate(startsOn) || startsOn > today) throw invalidField("startsOn", "must be a YYYY-MM-DD date, not after today");
    const decisionNumber = required("decisionNumber", input.decisionNumber);
    const facts = {
      obligation: required("obligation", input.obligation),
      performance: required("performance", input.performance),
      enforcementBasis: required("enforcementBasis", input.enforcementBasis),
    };
    const { enforcementCase, debtor } = await findCaseAndDebtorForCaller(this.deps.sql, principal, input.caseNumber, input.debtorIdNumber);
    assertCaseAdmits(enforcementCase, "LISTING");
    const [person] = await this.deps.sql.query<{ sex: string | null; birth_date: string | null; filed_on: string }>(
      `SELECT d.sex, d.birth_date::text AS birth_date, to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS filed_on
         FROM debtor d JOIN enforcement_case c ON c.id = d.case_id WHERE d.id = $1::uuid`,
      [debtor.id],
    );
    let age: number | null = null;
    if (debtor.kind === "PERSON" && person.birth_date) {
      if (startsOn < person.birth_date) throw invalidField("startsOn", "is before the debtor's birth date");
      if (list === "DISHONEST_DEBTOR") {
        const minor = checkNotMinor(person.birth_date, startsOn);
        if (!minor.ok) throw guardRefused(minor);
      }
      age = ageOn(person.birth_date, startsOn);
    }
    if (debtor.kind === "ORGANISATION" && !input.legalRepresentative?.trim()) {
      throw invalidField("legalRepresentative", "an organisation's entry names its legal representative (失信规定 art. 6 item 1)");
    }
    const expiresOn = ground === null ? null : listingLastDay(ground as never, startsOn);
    // A listing restricts consumption too (限制消费规定 art. 1 para. 2): its restriction binds the same persons.
    const bound = checkBoundPersons(debtor.kind, input.boundPersons ?? []);
    if (!bound.ok) throw guardRefused(bound);
    const restriction = restrictionOrder({ signedBy: input.signedBy ?? "", startsOn, items: input.items });
    if (!restriction.ok) throw guardRefused(restriction);
    const order =
      list === "DISHONEST_DEBTOR"
        ? listingDecision({
            signedBy: input.signedBy ?? "",
            ground: ground as ListingGround,
            startsOn,
            expiresOn,
            standing: input.standing ?? null,
          })
        : restriction;
    if (!order.ok) throw guardRefused(order);
    const published: PublishedRecord = {
      name: debtor.name,
      ...(debtor.kind === "PERSON" ? { sex: person.sex, age } : { legalRepresentative: input.legalRepresentative!.trim() }),
      ...facts,
      conduct,
      caseNumber: enforcementCase.case_number,
      filingDate: person.filed_on,
      court: enforcementCase.court_code,
      startsOn,
      expiresOn,
    };
    const restrictionPublished: PublishedRecord = {
      ...published,
      conduct: list === "DISHONEST_DEBTOR" ? "纳入失信被执行人名单（限制消费规定 art. 1 para. 2）" : conduct,
      expiresOn: null,
      ...(bound.persons.length > 0 ? { boundPersons: bound.persons } : {}),
    };

    const outcome = await this.deps.sql.transaction(async (tx) => {
      // The case row lock orders listings against measures being ordered on the same case.
      await lockCaseAdmitting(tx, enforcementCase, "LISTING", "UPDATE");
      const [same] = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
           AND list = $3::text::"SanctionList" AND decision_number = $4`,
        [enforcementCase.id, debtor.id, list, decisionNumber],
      );
      if (same) return { entryId: same.id, created: false };
      const listedOn = async (name: ListName) => {
        const [row] = await tx.query<{ id: string }>(
          `SELECT id::text AS id FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
             AND list = $3::text::"SanctionList" AND status = 'LISTED'`,
          [enforcementCase.id, debtor.id, name],
        );
        return row?.id;
      };
      const listed = await listedOn(list);
      if (listed)
        throw new HubError("SANCTION_ALREADY_LISTED", `the debtor is already on the ${list} list for this case (entry ${listed})`, {
          entryId: listed,
        });
      if (ground !== null) await this.checkListingBars(tx, enforcementCase, debtor.id, ground as ListingGround, startsOn, input, today);
      const facts = { caseId: enforcementCase.id, debtorId: debtor.id, idNumber: debtor.id_number, court: enforcementCase.court_code };
      const made = { decisionNumber, startsOn, officer: principal.officer, org: principal.org };
      const entryId = randomUUID();
      // The restriction in force, or the one made now with the listing: each names the other.
      const inForce = list === "DISHONEST_DEBTOR" ? await listedOn("CONSUMPTION_RESTRICTION") : undefined;
      const restrictionId = list === "DISHONEST_DEBTOR" ? (inForce ?? randomUUID()) : null;
      const companionIsNew = list === "DISHONEST_DEBTOR" && inForce === undefined;
      await this.insertEntry(tx, facts, made, {
        id: entryId,
        list,
        ground,
        expiresOn,
        published: list === "DISHONEST_DEBTOR" ? published : restrictionPublished,
        conduct,
        order: order.order,
        onCreditorApplication: input.onCreditorApplication === true,
        linkedEntryId: restrictionId,
      });
      if (companionIsNew) {
        await this.insertEntry(tx, facts, made, {
          id: restrictionId!,
          list: "CONSUMPTION_RESTRICTION",
          ground: null,
          expiresOn: null,
          published: restrictionPublished,
          conduct: restrictionPublished.conduct as string,
          order: restriction.order,
          onCreditorApplication: false,
          linkedEntryId: entryId,
        });
      }
      return { entryId, created: true };
    });
    return outcome;
  }

  /** 失信规定 art. 1 item 5, art. 3 and art. 10 para. 4, checked under the case row lock. */
  private async checkListingBars(
    tx: Pick<Sql, "query">,
    enforcementCase: { id: string; claim_amount: string },
    debtorId: string,
    ground: ListingGround,
    startsOn: string,
    input: Partial<ListingFacts>,
    today: string,
  ): Promise<void> {
    const [row] = await tx.query<{ restrictions: number; security: string | null; settlement: string | null; removals: string[] }>(
      `SELECT (SELECT count(*)::int FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
                 AND list = 'CONSUMPTION_RESTRICTION') AS restrictions,
              (SELECT string_agg(description, '；') FROM debtor_security WHERE case_id = $1::uuid AND debtor_id = $2::uuid) AS security,
              (SELECT min(agreed_on)::text FROM debtor_settlement WHERE case_id = $1::uuid AND debtor_id = $2::uuid
                 AND breached_on IS NULL) AS settlement,
              ARRAY(SELECT removed_on::text FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
                 AND list = 'DISHONEST_DEBTOR' AND removal_reason = 'CREDITOR_APPLICATION') AS removals`,
      [enforcementCase.id, debtorId],
    );
    const onRecord = checkRestrictionOnRecord(ground, row.restrictions);
    if (!onRecord.ok) throw guardRefused(onRecord);
    const bar = checkCreditorApplicationBar({
      onCreditorApplication: input.onCreditorApplication === true,
      startsOn,
      removalsOnApplication: row.removals,
    });
    if (!bar.ok) throw guardRefused(bar);
    const covered = checkNotCovered({
      ground,
      ...(await claimOf(tx, enforcementCase, "EFFECTIVE", today)),
      measures: await measuresOnCase(tx, "EFFECTIVE", enforcementCase.id, debtorId),
      security: row.security,
      settlementAgreedOn: row.settlement,
    });
    if (!covered.ok) throw guardRefused(covered);
  }

  /** One entry, its change appended and queued for the partners of its list, and its audit row. */
  private async insertEntry(
    tx: Pick<Sql, "query">,
    of: { caseId: string; debtorId: string; idNumber: string; court: string },
    made: { decisionNumber: string; startsOn: string; officer: string; org: string },
    entry: {
      id: string;
      list: ListName;
      ground: string | null;
      expiresOn: string | null;
      published: PublishedRecord;
      conduct: string;
      order: OrderRecord;
      onCreditorApplication: boolean;
      linkedEntryId: string | null;
    },
  ): Promise<void> {
    const cipher = dataCipher();
    await tx.query(
      `INSERT INTO sanction_entry (id, list, case_id, debtor_id, id_number, court_code, status, ground, decision_number,
         starts_on, expires_on, published, created_by, order_record, on_creditor_application, linked_entry_id, id_digest)
       VALUES ($1::uuid, $2::text::"SanctionList", $3::uuid, $4::uuid, $5, $6, 'LISTED', $7, $8, $9::date, $10::date, $11::jsonb, $12,
         $13::jsonb, $14, $15::uuid, $16)`,
      [
        entry.id,
        entry.list,
        of.caseId,
        of.debtorId,
        cipher.seal(of.idNumber),
        of.court,
        entry.ground,
        made.decisionNumber,
        made.startsOn,
        entry.expiresOn,
        JSON.stringify(cipher.sealJson(entry.published)),
        made.officer,
        JSON.stringify(entry.order),
        entry.onCreditorApplication,
        entry.linkedEntryId,
        cipher.lookup(of.idNumber),
      ],
    );
    await appendChange(
      tx,
      changeRecordOf({ id: entry.id, list: entry.list, id_number: of.idNumber, status: "LISTED", published: entry.published }),
      "LIST",
      {
        actorOrg: made.org,
        actorOfficer: made.officer,
        action: entry.list === "DISHONEST_DEBTOR" ? "DISHONEST_DEBTOR_LISTED" : "CONSUMPTION_RESTRICTED",
        caseId: of.caseId,
        debtorId: of.debtorId,
        subjectId: entry.id,
        purpose: entry.conduct,
        detail: {
          list: entry.list,
          ground: entry.ground,
          decisionNumber: made.decisionNumber,
          startsOn: made.startsOn,
          expiresOn: entry.expiresOn,
          signedBy: entry.order.signedBy,
          linkedEntryId: entry.linkedEntryId,
        },
      },
    );
  }

  private async change(
    caller: Caller,
    entryId: string,
    operation: ChangeOperation,
    decide: (entry: EntryRow, tx: Pick<Sql, "query">, actor: { org: string; officer: string }) => EntryChange | Promise<EntryChange>,
  ): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    await this.deps.sql.transaction(async (tx) => {
      const entry = await this.lockEntry(tx, principal, entryId);
      if (entry.status !== "LISTED") {
        // A removal repeated (a lost answer, a second click) finds the entry removed: nothing more to do or send.
        if (operation === "REMOVE") return;
        throw new HubError("SANCTION_NOT_LISTED", `entry ${entryId} was already removed (${entry.removal_reason})`, {
          status: entry.status,
        });
      }
      const actor = { org: principal.org, officer: principal.officer };
      await this.write(tx, entry, operation, await decide(entry, tx, actor), actor);
    });
    return entryId;
  }

  /** The entry, row-locked, if the caller's court made it. */
  private async lockEntry(tx: Pick<Sql, "query">, principal: { org: string }, entryId: string): Promise<EntryRow> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entryId))
      throw invalidField("entryId", "not an entry id this hub issued");
    const entry = openEntry(
      (await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM sanction_entry WHERE id = $1::uuid FOR UPDATE`, [entryId]))[0],
    );
    if (!entry) throw new HubError("SANCTION_NOT_FOUND", `no list entry ${entryId}`, { field: "entryId" });
    if (entry.court_code !== principal.org)
      throw new HubError("FORBIDDEN", `entry ${entryId} was made by court ${entry.court_code}`, { reason: "OTHER_COURTS_CASE" });
    return entry;
  }

  private async write(
    tx: Pick<Sql, "query">,
    entry: EntryRow,
    operation: ChangeOperation,
    change: EntryChange,
    actor: { org: string; officer: string | null },
  ): Promise<void> {
    const columns = Object.keys(change.set);
    const cast = (column: string) => (column.endsWith("_on") ? "::date" : column.endsWith("_detail") ? "::jsonb" : "");
    const assignments = columns.map((column, i) => `${column} = $${i + 3}${cast(column)}`);
    if (columns.includes("status"))
      assignments[columns.indexOf("status")] = `status = $${columns.indexOf("status") + 3}::text::"SanctionStatus"`;
    await tx.query(
      `UPDATE sanction_entry SET ${[...assignments, "published = $2::jsonb", "updated_at = now()"].join(", ")} WHERE id = $1::uuid`,
      [entry.id, JSON.stringify(dataCipher().sealJson(change.published)), ...Object.values(change.set)],
    );
    const after: EntryRow = { ...entry, ...(change.set as Partial<EntryRow>), published: change.published };
    await appendChange(tx, changeRecordOf(after), operation, {
      actorOrg: actor.org,
      actorOfficer: actor.officer,
      action: change.action ?? `SANCTION_${operation === "REMOVE" ? "REMOVED" : operation === "EXTEND" ? "EXTENDED" : "CORRECTED"}`,
      caseId: entry.case_id,
      debtorId: entry.debtor_id,
      subjectId: entry.id,
      purpose: `${operation} ${entry.list}`,
      detail: change.detail,
    });
  }
}

/** What a change does to an entry: its columns, what it publishes, its audit detail and, when not the operation's, its action. */
interface EntryChange {
  set: Record<string, unknown>;
  published: PublishedRecord;
  detail: Record<string, unknown>;
  action?: string;
}

/** What the hub knows of the entry's case and debtor that removal conditions ask (removalReason.ts). */
async function removalFactsOf(tx: Pick<Sql, "query">, entry: EntryRow, today: string) {
  const [row] = await tx.query<{ status: CaseStatus; settlements: number; breached: number; fruitless: number }>(
    `SELECT c.status::text AS status,
       (SELECT count(*)::int FROM debtor_settlement s WHERE s.case_id = c.id AND s.debtor_id = $2::uuid) AS settlements,
       (SELECT count(*)::int FROM debtor_settlement s WHERE s.case_id = c.id AND s.debtor_id = $2::uuid
           AND s.breached_on IS NOT NULL) AS breached,
       -- 失信规定 art. 10 para. 1 item 4: national inquiries finished after the case's last 终本 that saw no asset.
       (SELECT count(*)::int FROM inquiry i
         WHERE i.case_id = c.id AND i.debtor_id = $2::uuid AND i.channel = 'NATIONAL' AND i.completed_at IS NOT NULL
           AND i.created_at > (SELECT max(at) FROM case_step WHERE case_id = c.id AND event = 'CONCLUDE')
           AND NOT EXISTS (SELECT 1 FROM agency_request r JOIN asset_sighting a ON a.agency_request_id = r.id
                            WHERE r.inquiry_id = i.id)) AS fruitless
       FROM enforcement_case c WHERE c.id = $1::uuid`,
    [entry.case_id, entry.debtor_id],
  );
  const claim = await claimOn(tx, entry.case_id, "EFFECTIVE", today);
  return {
    caseStatus: row.status,
    outstanding: claim.outstanding,
    settlements: { count: row.settlements, breached: row.breached },
    fruitlessInquiriesAfterConclusion: row.fruitless,
  };
}

function required(field: string, value: string | undefined): string {
  if (typeof value !== "string" || !value.trim()) throw invalidField(field, "is required");
  return value.trim();
}
