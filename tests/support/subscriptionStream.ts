/** A graphql-ws subscription in a test: what arrives, collected for assertions. */
import type { Client } from "graphql-ws";

export interface Stream {
  events: any[];
  errors: any[];
  completed: boolean;
  stop(): void;
}

/** Subscribes and collects `data[field]` of each result, and errors whether sent as a result with errors or as an error message. */
export function collect(client: Client, query: string, variables: Record<string, unknown>, field: string): Stream {
  const stream: Stream = { events: [], errors: [], completed: false, stop: () => undefined };
  stream.stop = client.subscribe<any>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) stream.errors.push(...result.errors);
        if (result.data?.[field]) stream.events.push(result.data[field]);
      },
      error: (error) => {
        stream.errors.push(...(Array.isArray(error) ? error : [error]));
        stream.completed = true;
      },
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}
