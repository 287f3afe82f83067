/**
 * Parsed expressions, cached by kind and text so a repeated request skips the parser.
 * Only successful parses are cached; placeholders are resolved per request afterwards.
 */
import type { RawCondition, RawPath, RawUpdate } from './ast.js';
import type { ExpressionKind } from './errors.js';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';

/**
 * A bounded cache in two generations: hits in the current one cost a single Map
 * lookup (no reordering, as a strict LRU would need on every hit); a hit in the
 * previous generation moves the entry forward; when the current generation fills
 * up, the previous one (everything not used since) is dropped.
 */
export class GenerationalCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const old = this.previous.get(key);
    if (old !== undefined) {
      this.previous.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

/** Entries per generation: at most twice as many are kept. */
const CAPACITY = 1000;
const conditions = new GenerationalCache<RawCondition>(CAPACITY);
const updates = new GenerationalCache<RawUpdate>(CAPACITY);
const projections = new GenerationalCache<RawPath[]>(CAPACITY);

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
