/**
 * Engine reads answer synchronously over an embedded store and with a promise over a
 * networked one. Callers await only a promise, so embedded reads stay in the same turn.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `then` without a microtask hop for a plain value; `fn` may answer with a promise itself. */
export function mapMaybe<T, U>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(fn) : fn(value);
}
