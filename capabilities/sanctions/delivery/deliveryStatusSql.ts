/**
 * Push delivery's lifecycle (domain/sanctions/deliveryLifecycle.ts) as the SQL that writes it:
 * every status the held-back and dead rows' statements set or test comes from the lifecycle's table, so the
 * statements cannot drift from it.
 */
import {
  ENQUEUED,
  statusesBefore,
  storedStatus,
  type DeliveryEvent,
  type DeliveryState,
} from "../../../domain/sanctions/deliveryLifecycle.js";

/** The status column value of a row in `state`, as an SQL literal. */
export function statusSql(state: DeliveryState): string {
  const status = storedStatus(state);
  if (!status) throw new Error(`a ${state} delivery row is not stored`);
  return `'${status}'`;
}

/** The condition that `column` holds a status `event` applies to. */
export function statusAllowsSql(event: DeliveryEvent, column = "status"): string {
  return `${column} IN (${statusesBefore(event)
    .map((status) => `'${status}'`)
    .join(", ")})`;
}

/** The status of a change held back. */
export const ENQUEUED_STATUS_SQL = statusSql(ENQUEUED);
