/**
 * The in-process half of the hub's events: topics, each with its subscribers,
 * and for every subscriber a queue of events it has not read yet. It has the
 * shape of @graphql-yoga/subscription's createPubSub (and of type-graphql's
 * PubSub): publish(key, payload) or publish(key, id, payload), subscribe(key)
 * or subscribe(key, id), so resolvers pipe and filter it the same way.
 *
 * It replaces createPubSub for two reasons found under load (docs/BENCHMARKS.md):
 * - cost: createPubSub hands each event to each subscriber through an
 *   EventTarget, a CustomEvent and a Repeater, several promises per subscriber
 *   per event; with subscriptions filtered by case, every subscriber sees every
 *   event, and this was the largest single item in the hub's CPU profile;
 * - safety: a Repeater throws RepeaterOverflowError from inside publish() once
 *   1024 events wait unread, i.e. as soon as one subscriber's WebSocket stalls
 *   (graphql-ws pulls the next event only when the last was written) while 1024
 *   events of any case go by; thrown inside an EventTarget listener, it is an
 *   uncaught exception and ends the process. Here a subscriber that stops
 *   reading keeps the newest MAX_UNREAD events and loses older ones: events are
 *   notifications, and the durable state can always be read by query.
 */

/** Unread events kept per subscriber before the oldest are dropped. */
export const MAX_UNREAD = 1000;

type Listener = (payload: unknown) => void;

export class LocalPubSub<Topics extends { [key: string]: [unknown] | [string | number, unknown] }> {
  private readonly topics = new Map<string, Set<Listener>>();

  publish<K extends keyof Topics & string>(routingKey: K, ...args: Topics[K]): void {
    const topic = args.length === 2 ? `${routingKey}:${String(args[0])}` : routingKey;
    const payload = args.length === 2 ? args[1] : args[0];
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    for (const listener of listeners) listener(payload);
  }

  /** Listens from the moment of the call; `return()` (graphql-ws calls it when the client unsubscribes) stops listening. */
  subscribe<K extends keyof Topics & string>(
    routingKey: K,
    id?: string | number,
  ): AsyncIterableIterator<Topics[K] extends [infer P] ? P : Topics[K] extends [unknown, infer P] ? P : never> {
    type Payload = Topics[K] extends [infer P] ? P : Topics[K] extends [unknown, infer P] ? P : never;
    const topic = id === undefined ? routingKey : `${routingKey}:${id}`;
    const unread: Payload[] = [];
    const readers: ((result: IteratorResult<Payload>) => void)[] = [];
    let closed = false;

    const listener: Listener = (payload) => {
      const reader = readers.shift();
      if (reader) {
        reader({ value: payload as Payload, done: false });
        return;
      }
      if (unread.length >= MAX_UNREAD) unread.shift();
      unread.push(payload as Payload);
    };
    let listeners = this.topics.get(topic);
    if (!listeners) this.topics.set(topic, (listeners = new Set()));
    listeners.add(listener);

    const close = (): Promise<IteratorResult<Payload>> => {
      if (!closed) {
        closed = true;
        unread.length = 0;
        listeners.delete(listener);
        if (listeners.size === 0 && this.topics.get(topic) === listeners) this.topics.delete(topic);
        for (const reader of readers.splice(0)) reader({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    };

    return {
      next(): Promise<IteratorResult<Payload>> {
        if (unread.length > 0) return Promise.resolve({ value: unread.shift()!, done: false });
        if (closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => readers.push(resolve));
      },
      return: close,
      throw(error: unknown): Promise<IteratorResult<Payload>> {
        void close();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Subscribers currently listening, over all topics (tests, diagnostics). */
  get subscriberCount(): number {
    let count = 0;
    for (const listeners of this.topics.values()) count += listeners.size;
    return count;
  }
}
