/**
 * Counts each operation over WebSocket (graphql-ws) once in hub_graphql_operations_total, as telemetryPlugin.ts
 * counts those over HTTP: by type, root field and the code of its first answer (OK for an event without errors, or
 * for a subscription completed before any event; the error's code otherwise). No duration is observed: a
 * subscription's life is not a response time.
 */
import { getOperationAST, type DocumentNode } from "graphql";
import { rootField } from "./telemetryPlugin.js";

type Count = (operationType: string, field: string, code: string) => void;

interface Accepted {
  operationType: string;
  field: string;
  counted: boolean;
}

export class WebSocketOperations {
  /** Per connection, the operations accepted and not yet ended. */
  private readonly open = new WeakMap<object, Map<string, Accepted>>();

  constructor(private readonly count: Count) {}

  /** graphql-ws `onSubscribe` let operation `id` run. */
  accepted(connection: object, id: string, document: DocumentNode, operationName?: string | null): void {
    const operation = getOperationAST(document, operationName) ?? undefined;
    const open = this.open.get(connection) ?? new Map<string, Accepted>();
    open.set(id, { operationType: operation?.operation ?? "subscription", field: rootField(operation), counted: false });
    this.open.set(connection, open);
  }

  /** An event (`onNext`): its first error's code, or undefined for OK. */
  event(connection: object, id: string, code: string | undefined): void {
    const operation = this.open.get(connection)?.get(id);
    if (operation) this.countOnce(operation, code);
  }

  /**
   * The operation ended (`onError`, `onComplete`): with an error's code, or undefined for a completion. An operation
   * never accepted was refused (the rate limit, the operation guard): counted here, before anything was parsed.
   */
  ended(connection: object, id: string, code: string | undefined): void {
    const open = this.open.get(connection);
    const operation = open?.get(id);
    if (operation) this.countOnce(operation, code);
    else if (code) this.count("subscription", "unknown", code);
    open?.delete(id);
  }

  private countOnce(operation: Accepted, code: string | undefined): void {
    if (operation.counted) return;
    operation.counted = true;
    this.count(operation.operationType, operation.field, code ?? "OK");
  }
}
