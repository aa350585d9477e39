/**
 * Tickets of the asynchronous agencies: an answer decided when the query is
 * accepted but released only once the agency's processing time has passed.
 */
import { randomBytes } from "node:crypto";

export type TicketStatus<T> = { ready: true; answer: T } | { ready: false; remainingMs: number };

export class TicketBook<T> {
  private readonly tickets = new Map<string, { readyAt: number; answer: T }>();

  /** `prefix` marks the agency, as real ones do (VQ-, TX-). */
  constructor(private readonly prefix: string) {}

  issue(answer: T, processingMs: number): string {
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    const ticket = `${this.prefix}-${day}-${randomBytes(6).toString("hex").toUpperCase()}`;
    this.tickets.set(ticket, { readyAt: Date.now() + processingMs, answer });
    return ticket;
  }

  /** Undefined for a ticket this agency never issued (or issued before a reset). */
  status(ticket: string): TicketStatus<T> | undefined {
    const entry = this.tickets.get(ticket);
    if (!entry) return undefined;
    const remainingMs = entry.readyAt - Date.now();
    return remainingMs > 0 ? { ready: false, remainingMs } : { ready: true, answer: entry.answer };
  }

  clear(): void {
    this.tickets.clear();
  }
}
