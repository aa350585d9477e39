import { describe, expect, it } from "vitest";
import {
  DELIVERY_EVENTS,
  DELIVERY_STATES,
  nextDelivery,
  statusesBefore,
  storedStatus,
  type DeliveryEvent,
  type DeliveryState,
} from "../../../domain/sanctions/deliveryLifecycle.js";

const MAX = 5;

/** Every (state, event) pair with fresh attempts: where the row goes, or null where the event cannot happen. */
const TABLE: Record<DeliveryState, Record<DeliveryEvent, DeliveryState | null>> = {
  PENDING: { CLAIM: "LEASED", ACKNOWLEDGE: null, UNREACHABLE: null, REFUSE: null, LEASE_EXPIRY: null, REPLAY: null },
  LEASED: { CLAIM: null, ACKNOWLEDGE: "DELIVERED", UNREACHABLE: "PENDING", REFUSE: "PENDING", LEASE_EXPIRY: "PENDING", REPLAY: null },
  DEAD: { CLAIM: null, ACKNOWLEDGE: null, UNREACHABLE: null, REFUSE: null, LEASE_EXPIRY: null, REPLAY: "PENDING" },
  DELIVERED: { CLAIM: null, ACKNOWLEDGE: null, UNREACHABLE: null, REFUSE: null, LEASE_EXPIRY: null, REPLAY: null },
};

describe("the push outbox row's lifecycle", () => {
  it("moves as the table says, and only so", () => {
    for (const state of DELIVERY_STATES) {
      for (const event of DELIVERY_EVENTS) {
        expect([state, event, nextDelivery({ state, attempts: 1 }, event, MAX)?.state ?? null]).toEqual([
          state,
          event,
          TABLE[state][event],
        ]);
      }
    }
  });

  it("counts a refusal, not an unreachable partner, and dead-letters at the last counted attempt", () => {
    expect(nextDelivery({ state: "LEASED", attempts: 3 }, "REFUSE", MAX)).toEqual({ state: "PENDING", attempts: 4 });
    expect(nextDelivery({ state: "LEASED", attempts: 4 }, "REFUSE", MAX)).toEqual({ state: "DEAD", attempts: 5 });
    expect(nextDelivery({ state: "LEASED", attempts: 4 }, "UNREACHABLE", MAX)).toEqual({ state: "PENDING", attempts: 4 });
  });

  it("a replayed row starts its attempts again; a claim or a lost lease keeps them", () => {
    expect(nextDelivery({ state: "DEAD", attempts: 5 }, "REPLAY", MAX)).toEqual({ state: "PENDING", attempts: 0 });
    expect(nextDelivery({ state: "PENDING", attempts: 2 }, "CLAIM", MAX)).toEqual({ state: "LEASED", attempts: 2 });
    expect(nextDelivery({ state: "LEASED", attempts: 2 }, "LEASE_EXPIRY", MAX)).toEqual({ state: "PENDING", attempts: 2 });
  });

  it("stores PENDING and LEASED rows as PENDING, dead ones as DEAD, delivered ones not at all", () => {
    expect(DELIVERY_STATES.map(storedStatus)).toEqual(["PENDING", "PENDING", "DEAD", null]);
    expect(DELIVERY_EVENTS.map((event) => [event, statusesBefore(event)])).toEqual([
      ["CLAIM", ["PENDING"]],
      ["ACKNOWLEDGE", ["PENDING"]],
      ["UNREACHABLE", ["PENDING"]],
      ["REFUSE", ["PENDING"]],
      ["LEASE_EXPIRY", ["PENDING"]],
      ["REPLAY", ["DEAD"]],
    ]);
  });
});
