/**
 * What a registry agency holds, per debtor. Records are materialised from the
 * debtor's synthetic profile the first time the debtor is seen and then kept,
 * so that whatever is later recorded against them (a seal, a queued seal)
 * stays visible to every later inquiry until the sandbox is reset.
 */
import { reachableOn, type Channel } from "./agencyServer.js";

export class Register<T extends { divisionCode: string }> {
  private readonly holdings = new Map<string, T[]>();

  constructor(private readonly materialise: (idNumber: string) => T[]) {}

  of(idNumber: string): T[] {
    let records = this.holdings.get(idNumber);
    if (!records) {
      records = this.materialise(idNumber);
      this.holdings.set(idNumber, records);
    }
    return records;
  }

  /** A record the debtor came to hold later (a sandbox control route); every later inquiry finds it. */
  add(idNumber: string, record: T): void {
    this.of(idNumber).push(record);
  }

  /** The debtor's records a channel reaches: a local (点对点) agency answers only for its own division. */
  reachable(idNumber: string, channel: Channel): T[] {
    return this.of(idNumber).filter((record) => reachableOn(channel, record.divisionCode));
  }

  clear(): void {
    this.holdings.clear();
  }
}
