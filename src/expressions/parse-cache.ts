/**
 * Parsed expressions, cached by kind and text so a repeated request skips the parser.
 * Only successful parses are cached; placeholders are resolved per request afterwards.
 */
import type { RawCondition, RawPath, RawUpdate } from './ast.js';
import type { ExpressionKind } from './errors.js';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';

/** A small LRU on Map's insertion order: a hit is moved to the back, the front is evicted. */
class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

const CAPACITY = 2000;
const conditions = new LruCache<RawCondition>(CAPACITY);
const updates = new LruCache<RawUpdate>(CAPACITY);
const projections = new LruCache<RawPath[]>(CAPACITY);

export function cachedCondition(kind: ExpressionKind, text: string): RawCondition {
  // The kind is part of the key because it is part of every error message.
  const key = kind + '\0' + text;
  let tree = conditions.get(key);
  if (tree === undefined) {
    tree = parseCondition(kind, text);
    conditions.set(key, tree);
  }
  return tree;
}

export function cachedUpdate(text: string): RawUpdate {
  let tree = updates.get(text);
  if (tree === undefined) {
    tree = parseUpdate(text);
    updates.set(text, tree);
  }
  return tree;
}

export function cachedProjection(text: string): RawPath[] {
  let tree = projections.get(text);
  if (tree === undefined) {
    tree = parseProjection(text);
    projections.set(text, tree);
  }
  return tree;
}
