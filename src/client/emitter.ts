/**
 * A tiny typed listener registry (no `node:events`, so the browser build stays small).
 *
 * @module
 */

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;

/** Typed listeners keyed by event name. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(value: never) => void>>();

  /** Adds a listener. */
  on<K extends keyof Events>(name: K, listener: (value: Events[K]) => void): Unsubscribe {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener as (value: never) => void);
    return () => set.delete(listener as (value: never) => void);
  }

  /** Calls every listener of `name`; a throwing listener does not stop the others. */
  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
