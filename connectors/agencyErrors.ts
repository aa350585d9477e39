/** The two ways an exchange with an agency fails: worth trying again, or not. */
/** A network failure, a timeout or a 5xx: safe to try again with the same idempotency key. */
export class TransientAgencyError extends Error {
  readonly transient = true;
  constructor(
    message: string,
    readonly raw?: string,
  ) {
    super(message);
    this.name = "TransientAgencyError";
  }
}

/** A reply the connector cannot accept (malformed, wrong schema, rejected request). Not retried. */
export class AgencyProtocolError extends Error {
  readonly transient = false;
  constructor(
    message: string,
    readonly raw?: string,
  ) {
    super(message);
    this.name = "AgencyProtocolError";
  }
}

/**
 * A submission not sent: its window to be written (the transport's `sendBy`, from the dispatcher's lease) had closed
 * before it was, or the lease was lost before it was tried. The agency cannot have seen it; whoever holds the request now
 * sends it. Not retried by the instance that met it.
 */
export class SendWindowClosedError extends Error {
  readonly transient = false;
  constructor(message: string) {
    super(message);
    this.name = "SendWindowClosedError";
  }
}
