/**
 * Control measures (控) at the sandbox registries, over real HTTP: the seal
 * register of each asset, queueing (轮候), release with promotion of the earliest
 * queued seal and its signed TOOK_EFFECT report, renewal and lapse on the
 * registry's clock, idempotent replay, and malformed requests. The hub's side is
 * played by the real connectors, so connector and sandbox are held to one protocol.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ControlCall, ControlOutcome, AgencyConnector, ControlConnector, ConnectorContext } from "../../connectors/connector.js";
import { propertyRegistryConnector } from "../../connectors/property-registry/connector.js";
import { createAgencyTransport, type AgencyTransport } from "../../connectors/transport.js";
import { vehicleRegistryConnector } from "../../connectors/vehicle-registry/connector.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../domain/measures/periodDates.js";
import { startAgencyServer, type RunningAgency } from "../../sandbox/agencyServer.js";
import { PropertyRegistry } from "../../sandbox/agencies/propertyRegistry.js";
import { VehicleRegistry } from "../../sandbox/agencies/vehicleRegistry.js";
import { debtorProfile, type Encumbrance, type Flat, type Vehicle } from "../../sandbox/debtorProfile.js";
import { startSandbox } from "../../sandbox/index.js";
import { CallbackReceiver, fastKnobs, findId, personId, sleep } from "./fixtures.js";

const SECRET = "registry-test-secret";
const QUIET = { latencyMs: 0, jitterMs: 0, processingMs: 0 };

async function until(condition: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

/** A registry under test: its server, the connector speaking to it, and helpers in its terms. */
class Registry {
  server!: RunningAgency;
  ctx!: ConnectorContext;
  private transport!: AgencyTransport;

  constructor(
    readonly connector: AgencyConnector & ControlConnector,
    readonly path: string,
  ) {}

  async start(server: Promise<RunningAgency>): Promise<void> {
    this.server = await server;
    this.transport = createAgencyTransport({ baseUrl: `${this.server.url}/national`, requestTimeoutMs: 3000 });
    this.ctx = { transport: this.transport, secret: SECRET };
  }

  control(call: ControlCall): Promise<ControlOutcome> {
    return this.connector.control(call, this.ctx);
  }

  /** A raw control request, for what the connector would never send. */
  async post(key: string | undefined, body: unknown, channel = "national") {
    const response = await fetch(`${this.server.url}/${channel}${this.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  async close(): Promise<void> {
    await this.transport.close();
    await this.server.close();
  }
}

let clock = new Date();
const receiver = new CallbackReceiver();
const property = new Registry(propertyRegistryConnector, "/v1/controls");
const vehicle = new Registry(vehicleRegistryConnector, "/api/controls");

beforeAll(async () => {
  await receiver.start();
  await property.start(
    startAgencyServer("PROPERTY_REGISTRY", (env) => new PropertyRegistry(env, SECRET, { now: () => clock }), { knobs: QUIET }),
  );
  await vehicle.start(
    startAgencyServer("VEHICLE_REGISTRY", (env) => new VehicleRegistry(env, SECRET, { now: () => clock }), { knobs: QUIET }),
  );
});
afterAll(async () => {
  await property.close();
  await vehicle.close();
  await receiver.close();
});
beforeEach(() => {
  clock = new Date();
  property.server.reset();
  vehicle.server.reset();
  receiver.clear();
});

const today = () => todayInChina(clock);
/** Noon, China time, on a date: safely inside that day. */
const noonOn = (date: string) => new Date(`${date}T12:00:00+08:00`);

const COURTS = { lankao: "豫0225", longting: "豫0202", shunhe: "豫0203" } as const;

/** A seal (or seizure) of one asset, ordered by a court; the notice number tells the courts' seals apart. */
function applyCall(key: string, court: string, idNumber: string, asset: string, overrides: Partial<ControlCall> = {}): ControlCall {
  const from = today();
  return {
    idempotencyKey: key,
    action: "APPLY",
    measureKind: "SEAL",
    caseNumber: `（2024）${court}执${key.length}号`,
    courtCode: court,
    debtor: { kind: "PERSON", idNumber, name: "张伟" },
    assetIdentifier: asset,
    from,
    to: addDays(from, 700),
    notice: { number: `（2024）${court}执${key.length}号之一`, date: from },
    decision: { number: `（2024）${court}执${key.length}号`, date: from, judges: ["王审判长", "李审判员", "赵审判员"] },
    officer: "李法官",
    callbackUrl: receiver.urlFor("PROPERTY_REGISTRY"),
    ...overrides,
  };
}

/** A release or renewal of the measure applied by `apply`, under a new key. */
function changeCall(key: string, apply: ControlCall, action: "RELEASE" | "RENEW", overrides: Partial<ControlCall> = {}): ControlCall {
  return { ...apply, idempotencyKey: key, action, measureRef: apply.idempotencyKey, from: undefined, to: undefined, ...overrides };
}

/** The encumbrances the property registry shows for one flat, as on the wire, to an inquiring court. */
async function flatEncumbrances(idNumber: string, certNo: string, court: string = COURTS.shunhe): Promise<unknown[]> {
  const key = `inq-${Math.random().toString(36).slice(2)}`;
  const response = await fetch(`${property.server.url}/national/v1/property-inquiries`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({
      requestId: key,
      caseNumber: `（2024）${court}执9号`,
      court,
      subject: { type: "PERSON", idNumber, name: "张伟" },
      purpose: "查询被执行人财产",
      officer: "周法官",
    }),
  });
  const body = (await response.json()) as { status: string; records: { certNo: string; encumbrances: unknown[] }[] };
  expect(body.status).toBe("OK");
  const record = body.records.find((r) => r.certNo === certNo);
  if (!record) throw new Error(`inquiry did not return ${certNo}`);
  return record.encumbrances;
}

/** The restrictions the vehicle registry shows for one plate (ticket, then poll). */
async function vehicleRestrictions(idNumber: string, plate: string): Promise<unknown[]> {
  const key = `vq-${Math.random().toString(36).slice(2)}`;
  const accepted = await fetch(`${vehicle.server.url}/national/api/queries`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({
      reqId: key,
      case: "（2024）豫0203执9号",
      court: COURTS.shunhe,
      owner: { idType: "RESIDENT_ID", idNo: idNumber, name: "张伟" },
    }),
  });
  const { ticket } = (await accepted.json()) as { ticket: string };
  for (;;) {
    const polled = (await (await fetch(`${vehicle.server.url}/national/api/queries/${encodeURIComponent(ticket)}`)).json()) as {
      state: string;
      vehicles: { plate: string; restrictions: unknown[] }[];
    };
    if (polled.state === "PROCESSING") {
      await sleep(10);
      continue;
    }
    const found = polled.vehicles.find((v) => v.plate === plate);
    if (!found) throw new Error(`inquiry did not return ${plate}`);
    return found.restrictions;
  }
}

const isCourtMeasure = (e: Encumbrance) => e.type === "SEAL" || e.type === "SEIZURE";
/** Encumbrances from the profile as the property registry writes them. */
const onWire = (encumbrances: readonly Encumbrance[]) =>
  encumbrances.map((e) => ({
    type: e.type,
    authority: e.authority,
    docNo: e.reference,
    since: e.since,
    rank: e.rank,
    // The claim a mortgage secures, which the hub nets from the flat's value.
    ...(e.amount !== undefined && { amount: e.amount }),
  }));
const mortgagesOf = (encumbrances: readonly Encumbrance[]) => onWire(encumbrances.filter((e) => !isCourtMeasure(e)));

/** A person with an unsealed flat, and the flat. */
function unsealedFlat(skip = 0): { id: string; flat: Flat } {
  let seen = 0;
  const id = findId((p) => p.flats.some((f) => !f.encumbrances.some(isCourtMeasure)) && seen++ >= skip);
  return { id, flat: debtorProfile(id).flats.find((f) => !f.encumbrances.some(isCourtMeasure))! };
}

const sealDoc = (call: ControlCall, rank: number) => ({
  type: "SEAL",
  authority: call.courtCode,
  docNo: call.notice.number,
  since: call.from,
  rank,
});

describe("property registry: seals (查封) and the queue (轮候)", () => {
  it("puts the first seal in effect and queues a second court's seal at rank 2; any court's inquiry shows both", async () => {
    const { id, flat } = unsealedFlat();
    const first = applyCall("seal-lankao", COURTS.lankao, id, flat.certificateNumber);
    const second = applyCall("seal-longting", COURTS.longting, id, flat.certificateNumber);

    const effective = await property.control(first);
    expect(effective).toMatchObject({ kind: "EFFECTIVE", reference: expect.stringMatching(/^不动产查封登记\(\d{4}\)第\d{6}号$/) });
    if (effective.kind !== "EFFECTIVE") throw new Error("unreachable");
    expect(Math.abs(Date.parse(effective.effectiveFrom) - clock.getTime())).toBeLessThan(1000);
    expect(effective.effectiveFrom).toMatch(/\+08:00$/);

    expect(await property.control(second)).toMatchObject({ kind: "QUEUED", rank: 2 });

    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([
      ...mortgagesOf(flat.encumbrances),
      sealDoc(first, 1),
      sealDoc(second, 2),
    ]);
    // Every other flat of the debtor is untouched.
    for (const other of debtorProfile(id).flats.filter((f) => f.certificateNumber !== flat.certificateNumber)) {
      expect(await flatEncumbrances(id, other.certificateNumber)).toEqual(onWire(other.encumbrances));
    }
  });

  it("queues behind a seal another court had registered before (from the registry's own records)", async () => {
    const id = findId((p) => p.flats.some((f) => f.encumbrances.some((e) => e.type === "SEAL")));
    const flat = debtorProfile(id).flats.find((f) => f.encumbrances.some((e) => e.type === "SEAL"))!;
    const earlier = flat.encumbrances.find((e) => e.type === "SEAL")!;
    const ours = applyCall("seal-behind-earlier", COURTS.lankao, id, flat.certificateNumber);

    expect(await property.control(ours)).toMatchObject({ kind: "QUEUED", rank: 2 });
    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([
      ...mortgagesOf(flat.encumbrances),
      { type: "SEAL", authority: earlier.authority, docNo: earlier.reference, since: earlier.since, rank: 1 },
      sealDoc(ours, 2),
    ]);
  });

  it("on release of the seal in effect, promotes the earliest queued one and reports TOOK_EFFECT, signed and retried", async () => {
    const { id, flat } = unsealedFlat();
    const first = applyCall("rel-first", COURTS.lankao, id, flat.certificateNumber);
    const second = applyCall("rel-second", COURTS.longting, id, flat.certificateNumber);
    const third = applyCall("rel-third", COURTS.shunhe, id, flat.certificateNumber);
    await property.control(first);
    expect(await property.control(second)).toMatchObject({ kind: "QUEUED", rank: 2 });
    expect(await property.control(third)).toMatchObject({ kind: "QUEUED", rank: 3 });
    expect(receiver.received).toEqual([]);

    // Only the sealing court may release.
    const foreign = await property.control(changeCall("rel-by-other-court", first, "RELEASE", { courtCode: COURTS.shunhe }));
    expect(foreign).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining(COURTS.lankao) });

    receiver.failuresLeft = 1; // the hub is briefly unavailable: the registry retries
    const released = await property.control(changeCall("rel-1", first, "RELEASE"));
    expect(released).toMatchObject({ kind: "RELEASED" });
    if (released.kind !== "RELEASED") throw new Error("unreachable");

    await receiver.waitFor(2);
    const stats = property.server.stats;
    await until(() => stats.callbacksSent === 1);
    expect(stats).toMatchObject({ callbackAttempts: 2, callbacksSent: 1, callbacksFailed: 0 });
    const [failed, delivered] = receiver.received;
    expect(failed.body).toBe(delivered.body);
    expect(JSON.parse(delivered.body)).toEqual({
      event: "TOOK_EFFECT",
      measureRef: "rel-second",
      effectiveFrom: expect.stringMatching(/\+08:00$/),
      registrationNo: expect.stringMatching(/^不动产查封登记\(\d{4}\)第\d{6}号$/),
    });
    const report = property.connector.acceptMeasureReport(delivered.body, delivered.headers, property.ctx);
    expect(report).toEqual({
      measureRef: "rel-second",
      event: "TOOK_EFFECT",
      effectiveFrom: expect.any(String),
      reference: expect.any(String),
    });
    expect(() =>
      property.connector.acceptMeasureReport(delivered.body, delivered.headers, { ...property.ctx, secret: "not-the-secret" }),
    ).toThrow(/signature/);

    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([
      ...mortgagesOf(flat.encumbrances),
      sealDoc(second, 1),
      sealDoc(third, 2),
    ]);

    // Releasing again (a new key) answers as before and changes nothing.
    expect(await property.control(changeCall("rel-1-again", first, "RELEASE"))).toMatchObject({
      kind: "RELEASED",
      releasedAt: released.releasedAt,
    });
    // Releasing a queued seal reports nothing: nothing took effect.
    expect(await property.control(changeCall("rel-3", third, "RELEASE"))).toMatchObject({ kind: "RELEASED" });
    await sleep(100);
    expect(receiver.received).toHaveLength(2);
    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([...mortgagesOf(flat.encumbrances), sealDoc(second, 1)]);

    // A later seal goes into effect again only once nothing is in force.
    expect(await property.control(changeCall("rel-2", second, "RELEASE"))).toMatchObject({ kind: "RELEASED" });
    expect(await property.control(applyCall("rel-fourth", COURTS.lankao, id, flat.certificateNumber))).toMatchObject({ kind: "EFFECTIVE" });
  });

  it("replays a repeated key with the original reply and registers nothing twice", async () => {
    const { id, flat } = unsealedFlat();
    const call = applyCall("replay-seal", COURTS.lankao, id, flat.certificateNumber);
    const wire = {
      requestId: call.idempotencyKey,
      action: "SEAL",
      caseNumber: call.caseNumber,
      court: call.courtCode,
      certNo: flat.certificateNumber,
      subject: { type: "PERSON", idNumber: id, name: "张伟" },
      from: call.from,
      to: call.to,
      notice: call.notice,
      decision: call.decision,
      officer: call.officer,
      callbackUrl: call.callbackUrl,
    };
    const first = await property.post(call.idempotencyKey, wire);
    const again = await property.post(call.idempotencyKey, wire);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ requestId: "replay-seal", status: "EFFECTIVE" });
    expect(again).toEqual(first);
    // Through the connector as well: the same reply, byte for byte.
    expect((await property.control(call)).raw).toBe(first.text);

    const stats = property.server.stats;
    expect(stats.submissionsFor("replay-seal")).toBe(3);
    expect(stats.executionsFor("replay-seal")).toBe(1);
    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([...mortgagesOf(flat.encumbrances), sealDoc(call, 1)]);
    expect(await property.control(applyCall("replay-next", COURTS.longting, id, flat.certificateNumber))).toMatchObject({
      kind: "QUEUED",
      rank: 2,
    });
  });

  it("renews a seal in force up to its last day, for at most the same maximum period", async () => {
    const { id, flat } = unsealedFlat();
    const seal = applyCall("renew-seal", COURTS.lankao, id, flat.certificateNumber, { to: addDays(today(), 30) });
    await property.control(seal);
    const to = seal.to!;

    const tooLong = await property.control(
      changeCall("renew-too-long", seal, "RENEW", { from: to, to: addDays(lastDayOfPeriod(to, 36), 1) }),
    );
    expect(tooLong).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining(lastDayOfPeriod(to, 36)) });
    expect(await property.control(changeCall("renew-shorter", seal, "RENEW", { to: addDays(to, -1) }))).toMatchObject({ kind: "REFUSED" });

    clock = new Date(`${to}T23:59:00+08:00`); // the last day in force: still in time
    const renewed = await property.control(changeCall("renew-ok", seal, "RENEW", { from: to, to: lastDayOfPeriod(to, 36) }));
    expect(renewed).toMatchObject({ kind: "RENEWED", to: lastDayOfPeriod(to, 36) });

    clock = noonOn(addDays(to, 1)); // past the old last day, not the new one
    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([...mortgagesOf(flat.encumbrances), sealDoc(seal, 1)]);

    expect(await property.control(changeCall("renew-release", seal, "RELEASE"))).toMatchObject({ kind: "RELEASED" });
    expect(
      await property.control(changeCall("renew-released", seal, "RENEW", { to: lastDayOfPeriod(lastDayOfPeriod(to, 36), 12) })),
    ).toMatchObject({
      kind: "REFUSED",
      reason: expect.stringContaining("解除"),
    });
  });

  it("lets a seal lapse after its last day: no renewal, no release, and the queued seal takes effect with a report", async () => {
    const { id, flat } = unsealedFlat();
    const first = applyCall("lapse-first", COURTS.lankao, id, flat.certificateNumber, { to: addDays(today(), 30) });
    const second = applyCall("lapse-second", COURTS.longting, id, flat.certificateNumber);
    await property.control(first);
    expect(await property.control(second)).toMatchObject({ kind: "QUEUED", rank: 2 });

    clock = new Date(`${addDays(first.to!, 1)}T00:00:00+08:00`); // the first moment after the last day, China time
    const late = await property.control(changeCall("lapse-renew", first, "RENEW", { to: lastDayOfPeriod(first.to!, 12) }));
    expect(late).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining("届满") });
    await receiver.waitFor(1);
    expect(property.connector.acceptMeasureReport(receiver.received[0].body, receiver.received[0].headers, property.ctx)).toMatchObject({
      measureRef: "lapse-second",
      event: "TOOK_EFFECT",
    });
    expect(await property.control(changeCall("lapse-release", first, "RELEASE"))).toMatchObject({ kind: "REFUSED" });
    // Its period counts from the day it took effect (查扣冻规定 art. 26, 27; domain/measures/queuedPeriod.ts).
    expect(await flatEncumbrances(id, flat.certificateNumber)).toEqual([
      ...mortgagesOf(flat.encumbrances),
      { ...sealDoc(second, 1), since: addDays(first.to!, 1) },
    ]);
    await sleep(50);
    expect(receiver.received).toHaveLength(1);
  });

  it(
    "refuses seals the registry cannot make: another's flat, another " + "division's flat, an over-long or past period, an unknown seal",
    async () => {
      const { id: owner, flat } = unsealedFlat();
      const { id: stranger } = unsealedFlat(1);
      expect(stranger).not.toBe(owner);
      const notHers = await property.control(applyCall("refuse-not-owned", COURTS.lankao, stranger, flat.certificateNumber));
      expect(notHers).toMatchObject({ kind: "REFUSED", reason: "该不动产权证书不在被执行人名下" });

      const tooLong = await property.control(
        applyCall("refuse-too-long", COURTS.lankao, owner, flat.certificateNumber, { to: addDays(lastDayOfPeriod(today(), 36), 1) }),
      );
      expect(tooLong).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining("36") });
      const past = await property.control(
        applyCall("refuse-past", COURTS.lankao, owner, flat.certificateNumber, { from: addDays(today(), -60), to: addDays(today(), -1) }),
      );
      expect(past).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining("届满") });
      const unknown = await property.control(
        changeCall("refuse-unknown", applyCall("never-sent", COURTS.lankao, owner, flat.certificateNumber), "RELEASE"),
      );
      expect(unknown).toMatchObject({ kind: "REFUSED" });

      // 点对点: a local registry reaches only its own division's flats.
      const elsewhere = flat.divisionCode.startsWith("4101") ? "4102" : "4101";
      const local = await property.post(
        "refuse-local",
        {
          requestId: "refuse-local",
          action: "SEAL",
          caseNumber: "（2024）豫0225执1号",
          court: COURTS.lankao,
          certNo: flat.certificateNumber,
          subject: { type: "PERSON", idNumber: owner, name: "张伟" },
          from: today(),
          to: addDays(today(), 100),
          notice: { number: "（2024）豫0225执1号之一", date: today() },
          decision: { number: "（2024）豫0225执1号", date: today(), judges: ["王审判长", "李审判员", "赵审判员"] },
          callbackUrl: receiver.urlFor("PROPERTY_REGISTRY"),
        },
        `local/${elsewhere}`,
      );
      expect(JSON.parse(local.text)).toMatchObject({ requestId: "refuse-local", status: "REJECTED", message: "该财产不属本登记机构管辖" });

      // Nothing was registered by any of these.
      expect(await flatEncumbrances(owner, flat.certificateNumber)).toEqual(onWire(flat.encumbrances));
    },
  );

  it("answers malformed control requests 400 in the protocol's shape, executing and storing nothing", async () => {
    const { id, flat } = unsealedFlat();
    const valid = {
      requestId: "bad-1",
      action: "SEAL",
      caseNumber: "（2024）豫0225执1号",
      court: COURTS.lankao,
      certNo: flat.certificateNumber,
      subject: { type: "PERSON", idNumber: id, name: "张伟" },
      from: today(),
      to: addDays(today(), 100),
      notice: { number: "（2024）豫0225执1号之一", date: today() },
      decision: { number: "（2024）豫0225执1号", date: today(), judges: ["王审判长"] },
      callbackUrl: receiver.urlFor("PROPERTY_REGISTRY"),
    };
    const cases: [string, string | undefined, unknown][] = [
      ["not JSON", "bad-1", "{not json"],
      ["no Idempotency-Key", undefined, valid],
      ["requestId differing from the key", "bad-2", valid],
      ["an action this registry does not know", "bad-1", { ...valid, action: "SEIZE" }],
      ["a seal without its period", "bad-1", { ...valid, to: undefined }],
      ["an impossible date", "bad-1", { ...valid, to: "2027-02-30" }],
      ["a release without measureRef", "bad-1", { ...valid, action: "RELEASE" }],
      ["a renewal without the new last day", "bad-1", { ...valid, action: "RENEW", measureRef: "x", to: undefined }],
      ["no certificate number", "bad-1", { ...valid, certNo: " " }],
      ["a subject of unknown type", "bad-1", { ...valid, subject: { type: "HUMAN", idNumber: id, name: "张伟" } }],
      ["no notice", "bad-1", { ...valid, notice: undefined }],
      ["a decision without judges", "bad-1", { ...valid, decision: { number: "x", date: today(), judges: [] } }],
      ["a callback that is not http(s)", "bad-1", { ...valid, callbackUrl: "ftp://hub.test/x" }],
    ];
    for (const [what, key, body] of cases) {
      const reply = await property.post(key, body);
      expect(reply.status, what).toBe(400);
      expect(JSON.parse(reply.text), what).toEqual({ requestId: key ?? null, status: "REJECTED", message: expect.any(String) });
    }
    expect(property.server.stats.submissions).toBe(0);
    // The well-formed request still executes under the key the malformed ones used.
    expect(JSON.parse((await property.post("bad-1", valid)).text)).toMatchObject({ requestId: "bad-1", status: "EFFECTIVE" });
  });
});

describe("vehicle registry: seals (查封) and seizures (扣押)", () => {
  /** A person with an unrestricted vehicle, and the vehicle. */
  function unrestrictedVehicle(): { id: string; car: Vehicle } {
    const id = findId((p) => p.vehicles.some((v) => !v.restrictions.some(isCourtMeasure)));
    return { id, car: debtorProfile(id).vehicles.find((v) => !v.restrictions.some(isCourtMeasure))! };
  }
  const restrictionOf = (call: ControlCall, rank: number) => ({
    kind: call.measureKind === "SEIZE" ? "SEIZURE" : "SEAL",
    by: call.courtCode,
    ref: call.notice.number,
    since: call.from,
    rank,
  });
  const profileRestrictions = (car: Vehicle) =>
    car.restrictions
      .filter((r) => !isCourtMeasure(r))
      .map((r) => ({ kind: r.type, by: r.authority, ref: r.reference, since: r.since, rank: r.rank }));

  it("seizes a vehicle, queues a later seal behind it, and promotes the seal with a report when the seizure is released", async () => {
    const { id, car } = unrestrictedVehicle();
    const callbackUrl = receiver.urlFor("VEHICLE_REGISTRY");
    const seize = applyCall("veh-seize", COURTS.lankao, id, car.plate, { measureKind: "SEIZE", callbackUrl });
    const seal = applyCall("veh-seal", COURTS.longting, id, car.plate, { callbackUrl });

    const seized = await vehicle.control(seize);
    expect(seized).toMatchObject({ kind: "EFFECTIVE", reference: expect.stringMatching(/^机动车扣押登记\(\d{4}\)第\d{6}号$/) });
    expect(await vehicle.control(seal)).toMatchObject({ kind: "QUEUED", rank: 2 });
    expect(await vehicleRestrictions(id, car.plate)).toEqual([
      ...profileRestrictions(car),
      restrictionOf(seize, 1),
      restrictionOf(seal, 2),
    ]);

    expect(await vehicle.control(changeCall("veh-release", seize, "RELEASE"))).toMatchObject({ kind: "RELEASED" });
    await receiver.waitFor(1);
    const report = vehicle.connector.acceptMeasureReport(receiver.received[0].body, receiver.received[0].headers, vehicle.ctx);
    expect(report).toMatchObject({ measureRef: "veh-seal", event: "TOOK_EFFECT", reference: expect.stringMatching(/^机动车查封登记/) });
    expect(await vehicleRestrictions(id, car.plate)).toEqual([...profileRestrictions(car), restrictionOf(seal, 1)]);
  });

  it("holds movables to two years (民诉法解释 art. 485) and refuses a vehicle not registered to the subject", async () => {
    const { id, car } = unrestrictedVehicle();
    const long = await vehicle.control(
      applyCall("veh-long", COURTS.lankao, id, car.plate, { measureKind: "SEIZE", to: addDays(lastDayOfPeriod(today(), 24), 1) }),
    );
    expect(long).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining("24") });
    const stranger = personId(4999);
    expect(debtorProfile(stranger).vehicles.some((v) => v.plate === car.plate)).toBe(false);
    expect(await vehicle.control(applyCall("veh-stranger", COURTS.lankao, stranger, car.plate))).toMatchObject({
      kind: "REFUSED",
      reason: "该车辆不登记在被执行人名下",
    });
    const malformed = await vehicle.post("veh-bad", { requestId: "veh-bad", action: "FREEZE" });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ requestId: "veh-bad", status: "REJECTED" });
  });
});

describe("sandbox wiring", () => {
  it("signs the registries' reports with the secret the sandbox shares with the hub", async () => {
    const sandbox = await startSandbox({ secret: "wired-secret", knobs: fastKnobs() });
    const transport = createAgencyTransport({ baseUrl: `${sandbox.agencies.PROPERTY_REGISTRY.url}/national` });
    try {
      const ctx = { transport, secret: "wired-secret" };
      const { id, flat } = unsealedFlat();
      const first = applyCall("wired-first", COURTS.lankao, id, flat.certificateNumber);
      const second = applyCall("wired-second", COURTS.longting, id, flat.certificateNumber);
      await propertyRegistryConnector.control(first, ctx);
      await propertyRegistryConnector.control(second, ctx);
      await propertyRegistryConnector.control(changeCall("wired-release", first, "RELEASE"), ctx);
      await receiver.waitFor(1);
      expect(propertyRegistryConnector.acceptMeasureReport(receiver.received[0].body, receiver.received[0].headers, ctx)).toMatchObject({
        measureRef: "wired-second",
      });
    } finally {
      await transport.close();
      await sandbox.close();
    }
  });
});
