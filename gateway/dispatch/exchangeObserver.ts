/** Told of every round of exchange the dispatcher has with an agency (metrics; hub.ts wires it). */
export interface ExchangeObserver {
  /** `outcome` is the reply's kind (ANSWERED, PENDING, …) or ERROR when the round got no usable reply. */
  exchanged(agency: string, channel: string, outcome: string, seconds: number): void;
}
