/**
 * Registering enforcement cases. Registration is idempotent: the same case
 * sent again returns the case already held; a different case under the same
 * number is a conflict. Registering starts the first national inquiry for
 * every debtor in the same transaction (Henan High Court supervision opinion, item 2: 执行案件立案后应立即
 * 进行首次"总对总"查控), so a crash cannot leave a case without it.
 */
import { randomUUID } from "node:crypto";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { HubError } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { FIRST_INQUIRY_PURPOSE, type InquiryService } from "../inquiry/inquiryService.js";
import { debtorDigest, type CaseRow } from "./caseAccess.js";
import { validateCase, type CaseInput, type ValidCase } from "./caseInput.js";

export interface Registration {
  caseId: string;
  /** false when the case was already registered and nothing new was written */
  created: boolean;
}

/**
 * 20 debtors per case by default (local policy): each starts a national inquiry of six agencies at
 * registration: one call starts six agency requests per debtor.
 */
export const DEFAULT_MAX_DEBTORS_PER_CASE = 20;

export class CaseRegistry {
  constructor(
    private readonly deps: {
      sql: Sql;
      inquiries: InquiryService;
      /** Debtors one registration may list (HUB_MAX_DEBTORS_PER_CASE). */
      maxDebtors: number;
    },
  ) {}

  async register(caller: Caller, input: CaseInput): Promise<Registration> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    if (input.debtors.length > this.deps.maxDebtors) {
      throw new HubError("TOO_MANY_DEBTORS", `debtors: more than the ${this.deps.maxDebtors} allowed in one case`, {
        field: "debtors",
        limit: this.deps.maxDebtors,
      });
    }
    const valid = validateCase(input);
    if (valid.number.courtCode !== principal.org) {
      throw new HubError(
        "FORBIDDEN",
        `case ${valid.number.caseNumber} belongs to court ${valid.number.courtCode}; ${principal.org} may register only its own cases`,
        { field: "caseNumber", reason: "OTHER_COURTS_CASE" },
      );
    }
    const cipher = dataCipher();
    const outcome = await this.deps.sql.transaction(async (tx) => {
      const caseId = randomUUID();
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO enforcement_case (id, case_number, year, court_code, kind, serial,
           division_code, creditor_name, claim_amount, registered_by)
         VALUES ($1::uuid, $2, $3, $4, $5::"CaseKind", $6, $7, $8, $9::numeric, $10)
         ON CONFLICT (case_number) DO NOTHING RETURNING id::text AS id`,
        [
          caseId,
          valid.number.caseNumber,
          valid.number.year,
          valid.number.courtCode,
          valid.number.kind,
          valid.number.serial,
          valid.number.divisionCode,
          valid.creditorName,
          valid.claimAmount,
          principal.officer,
        ],
      );
      if (inserted.length === 0) return { existing: await this.sameCaseOrConflict(tx, valid), enforcementCase: undefined, inquiries: [] };
      const enforcementCase: CaseRow = {
        id: caseId,
        case_number: valid.number.caseNumber,
        court_code: valid.number.courtCode,
        division_code: valid.number.divisionCode,
        kind: valid.number.kind,
        claim_amount: valid.claimAmount,
        status: "IN_ENFORCEMENT",
      };
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "CASE_REGISTERED",
        caseId,
        subjectId: valid.number.caseNumber,
        // Lookup digests, not ID numbers: the trail is kept for good and is read by more people than the case's court.
        detail: {
          creditorName: valid.creditorName,
          claimAmount: valid.claimAmount,
          debtorDigests: valid.debtors.map((d) => debtorDigest(d.idNumber)),
          // An old 15-digit ID was converted: which debtors, by digest (the number as given is sealed on the debtor).
          originalIdNumbers: valid.debtors.flatMap((d) => (d.originalIdNumber ? [debtorDigest(d.idNumber)] : [])),
        },
      });
      const inquiries = [];
      for (const debtor of valid.debtors) {
        const debtorId = randomUUID();
        await tx.query(
          `INSERT INTO debtor (id, case_id, kind, id_number, name, id_digest, sex, birth_date, id_kind, original_id_number, nationality)
             VALUES ($1::uuid, $2::uuid, $3::"DebtorKind", $4, $5, $6, $7, $8::date, $9, $10, $11)`,
          [
            debtorId,
            caseId,
            debtor.kind,
            cipher.seal(debtor.idNumber),
            cipher.seal(debtor.name),
            debtorDigest(debtor.idNumber),
            debtor.sex,
            debtor.birthDate,
            debtor.idKind,
            debtor.originalIdNumber === null ? null : cipher.seal(debtor.originalIdNumber),
            debtor.nationality,
          ],
        );
        inquiries.push(
          await this.deps.inquiries.record(
            tx,
            principal,
            enforcementCase,
            { id: debtorId, kind: debtor.kind, id_number: debtor.idNumber, name: debtor.name },
            {
              channel: "NATIONAL",
              purpose: FIRST_INQUIRY_PURPOSE,
              trigger: "REGISTRATION",
            },
          ),
        );
      }
      return { existing: caseId, enforcementCase, inquiries };
    });
    if (!outcome.enforcementCase) return { caseId: outcome.existing, created: false };
    for (const recorded of outcome.inquiries) this.deps.inquiries.send(outcome.enforcementCase, recorded);
    return { caseId: outcome.enforcementCase.id, created: true };
  }

  private async sameCaseOrConflict(tx: Pick<Sql, "query">, valid: ValidCase): Promise<string> {
    const [held] = await tx.query<{ id: string; creditor_name: string; claim_amount: string; debtors: string[] }>(
      `SELECT c.id::text AS id, c.creditor_name, c.claim_amount::text AS claim_amount,
              array(SELECT id_digest FROM debtor d WHERE d.case_id = c.id ORDER BY id_digest) AS debtors
         FROM enforcement_case c WHERE c.case_number = $1`,
      [valid.number.caseNumber],
    );
    const sameDebtors =
      valid.debtors
        .map((d) => debtorDigest(d.idNumber))
        .sort()
        .join() === held.debtors.join();
    if (held.creditor_name !== valid.creditorName || held.claim_amount !== valid.claimAmount || !sameDebtors) {
      throw new HubError("CASE_CONFLICT", `case ${valid.number.caseNumber} is already registered with different parties or claim amount`, {
        field: "caseNumber",
      });
    }
    return held.id;
  }
}
