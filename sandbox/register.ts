/**
 * What a registry agency holds, per debtor. Records are materialised from the
 * debtor's synthetic profile the first time the debtor is seen and then kept,
 * so that whatever is later recorded against them (a seal, a queued seal)
 * stays visible to every later inquiry until the sandbox is reset.
 */
export class Register<T> {
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

  clear(): void {
    this.holdings.clear();
  }
}
