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
import { checkRemovalReason, hasExpired, type RemovalReason } from "../../domain/sanctions/removalReason.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { assertCaseAdmits, findCaseAndDebtorForCaller } from "../cases/caseAccess.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { claimOf, measuresOnCase } from "../measures/measuresOnCase.js";
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
  list(caller: Caller, input: EntryFacts & { ground: string; conductDetail?: string }): Promise<{ entryId: string; created: boolean }> {
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

  /** 失信规定 art. 10; 限制消费规定 art. 9. Safe to repeat. */
  async remove(caller: Caller, input: { entryId: string; reason: string }): Promise<string> {
    return this.change(caller, input.entryId, "REMOVE", (entry) => {
      const reason = checkRemovalReason(entry.list, input.reason);
      if (!reason.ok) throw guardRefused(reason);
      return this.removal(entry, reason.reason);
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

  private removal(entry: EntryRow, reason: RemovalReason) {
    const today = todayInChina(this.deps.clock());
    return { set: { status: "REMOVED", removal_reason: reason, removed_on: today }, published: entry.published, detail: { reason } };
  }

  private async create(caller: Caller, list: ListName, input: EntryFacts, ground: string | null, conduct: string) {
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

    const outcome = await this.deps.sql.transaction(async (tx) => {
      // The case row lock orders listings against measures being ordered on the same case.
      await tx.query(`SELECT 1 FROM enforcement_case WHERE id = $1::uuid FOR UPDATE`, [enforcementCase.id]);
      const [same] = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
           AND list = $3::text::"SanctionList" AND decision_number = $4`,
        [enforcementCase.id, debtor.id, list, decisionNumber],
      );
      if (same) return { entryId: same.id, created: false };
      const [listed] = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
           AND list = $3::text::"SanctionList" AND status = 'LISTED'`,
        [enforcementCase.id, debtor.id, list],
      );
      if (listed)
        throw new HubError("SANCTION_ALREADY_LISTED", `the debtor is already on the ${list} list for this case (entry ${listed.id})`, {
          entryId: listed.id,
        });
      if (ground !== null) {
        const [restrictions] = await tx.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM sanction_entry WHERE case_id = $1::uuid AND debtor_id = $2::uuid
             AND list = 'CONSUMPTION_RESTRICTION'`,
          [enforcementCase.id, debtor.id],
        );
        const onRecord = checkRestrictionOnRecord(ground as ListingGround, restrictions.count);
        if (!onRecord.ok) throw guardRefused(onRecord);
        const [secured] = await tx.query<{ security: string | null }>(
          `SELECT string_agg(description, '；') AS security FROM debtor_security WHERE case_id = $1::uuid AND debtor_id = $2::uuid`,
          [enforcementCase.id, debtor.id],
        );
        const covered = checkNotCovered({
          ground: ground as never,
          ...claimOf(enforcementCase),
          measures: await measuresOnCase(tx, "EFFECTIVE", enforcementCase.id, debtor.id),
          security: secured.security,
        });
        if (!covered.ok) throw guardRefused(covered);
      }
      const entry: EntryRow = {
        id: randomUUID(),
        list,
        case_id: enforcementCase.id,
        debtor_id: debtor.id,
        id_number: debtor.id_number,
        court_code: enforcementCase.court_code,
        status: "LISTED",
        ground,
        decision_number: decisionNumber,
        starts_on: startsOn,
        expires_on: expiresOn,
        extension_years: 0,
        published,
        removal_reason: null,
      };
      const cipher = dataCipher();
      await tx.query(
        `INSERT INTO sanction_entry (id, list, case_id, debtor_id, id_number, court_code,
           status, ground, decision_number, starts_on, expires_on, published, created_by, id_digest)
         VALUES ($1::uuid, $2::text::"SanctionList", $3::uuid, $4::uuid, $5, $6, 'LISTED', $7, $8, $9::date, $10::date, $11::jsonb,
                 $12, $13)`,
        [
          entry.id,
          list,
          entry.case_id,
          entry.debtor_id,
          cipher.seal(entry.id_number),
          entry.court_code,
          ground,
          decisionNumber,
          startsOn,
          expiresOn,
          JSON.stringify(cipher.sealJson(published)),
          principal.officer,
          cipher.lookup(entry.id_number),
        ],
      );
      await appendChange(tx, changeRecordOf(entry), "LIST", {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: list === "DISHONEST_DEBTOR" ? "DISHONEST_DEBTOR_LISTED" : "CONSUMPTION_RESTRICTED",
        caseId: entry.case_id,
        debtorId: entry.debtor_id,
        subjectId: entry.id,
        purpose: conduct,
        detail: { list, ground, decisionNumber, startsOn, expiresOn },
      });
      return { entryId: entry.id, created: true };
    });
    return outcome;
  }

  private async change(
    caller: Caller,
    entryId: string,
    operation: ChangeOperation,
    decide: (entry: EntryRow) => { set: Record<string, unknown>; published: PublishedRecord; detail: Record<string, unknown> },
  ): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entryId))
      throw invalidField("entryId", "not an entry id this hub issued");
    await this.deps.sql.transaction(async (tx) => {
      const entry = openEntry(
        (await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM sanction_entry WHERE id = $1::uuid FOR UPDATE`, [entryId]))[0],
      );
      if (!entry) throw new HubError("SANCTION_NOT_FOUND", `no list entry ${entryId}`, { field: "entryId" });
      if (entry.court_code !== principal.org)
        throw new HubError("FORBIDDEN", `entry ${entryId} was made by court ${entry.court_code}`, { reason: "OTHER_COURTS_CASE" });
      if (entry.status !== "LISTED") {
        // A removal repeated (a lost answer, a second click) finds the entry removed: nothing more to do or send.
        if (operation === "REMOVE") return;
        throw new HubError("SANCTION_NOT_LISTED", `entry ${entryId} was already removed (${entry.removal_reason})`, {
          status: entry.status,
        });
      }
      await this.write(tx, entry, operation, decide(entry), { org: principal.org, officer: principal.officer });
    });
    return entryId;
  }

  private async write(
    tx: Pick<Sql, "query">,
    entry: EntryRow,
    operation: ChangeOperation,
    change: { set: Record<string, unknown>; published: PublishedRecord; detail: Record<string, unknown> },
    actor: { org: string; officer: string | null },
  ): Promise<void> {
    const columns = Object.keys(change.set);
    const assignments = columns.map((column, i) => `${column} = $${i + 3}${column.endsWith("_on") ? "::date" : ""}`);
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
      action: `SANCTION_${operation === "REMOVE" ? "REMOVED" : operation === "EXTEND" ? "EXTENDED" : "CORRECTED"}`,
      caseId: entry.case_id,
      debtorId: entry.debtor_id,
      subjectId: entry.id,
      purpose: `${operation} ${entry.list}`,
      detail: change.detail,
    });
  }
}

function required(field: string, value: string | undefined): string {
  if (typeof value !== "string" || !value.trim()) throw invalidField(field, "is required");
  return value.trim();
}
