/** Document paths: reading a value at a path, and DynamoDB's overlap/conflict rule. */
import type { AttributeMap, AttributeValue, Item } from '../values/types.js';
import type { Path } from './ast.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** Own-property read, so names like "__proto__" or "constructor" never reach the prototype. */
export function ownValue(map: AttributeMap, name: string): AttributeValue | undefined {
  return hasOwn.call(map, name) ? map[name] : undefined;
}

export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (item === undefined) return undefined;
  let current = ownValue(item, path[0] as string);
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const segment = path[i];
    if (typeof segment === 'number') {
      const list = (current as { L?: AttributeValue[] }).L;
      current = list === undefined ? undefined : list[segment];
    } else {
      const map = (current as { M?: AttributeMap }).M;
      current = map === undefined ? undefined : ownValue(map, segment);
    }
  }
  return current;
}

/** DynamoDB's rendering of a path in messages: `[a, b, [2]]`. */
export function formatPath(path: Path): string {
  return '[' + path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join(', ') + ']';
}

interface TrieNode {
  /** The first path inserted through this node, for messages. */
  firstPath: Path;
  terminal: boolean;
  children: Map<string | number, TrieNode>;
}

/**
 * Finds the first pair of paths that overlap (one is a prefix of the other, or equal) or
 * conflict (one indexes a list where the other names a map key); undefined when disjoint.
 */
export function findPathClash(paths: readonly Path[]): { kind: 'overlap' | 'conflict'; one: Path; two: Path } | undefined {
  const root: TrieNode = { firstPath: [], terminal: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      for (const [key, sibling] of node.children) {
        if (typeof key !== typeof segment) return { kind: 'conflict', one: sibling.firstPath, two: path };
        break; // all siblings share one segment type
      }
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { firstPath: path, terminal: false, children: new Map() };
        node.children.set(segment, child);
      } else if (child.terminal) {
        return { kind: 'overlap', one: child.firstPath, two: path };
      }
      node = child;
    }
    if (node.terminal || node.children.size > 0) return { kind: 'overlap', one: node.firstPath, two: path };
    node.terminal = true;
  }
  return undefined;
}

export function clashMessage(clash: { kind: 'overlap' | 'conflict'; one: Path; two: Path }): string {
  const verb = clash.kind === 'overlap' ? 'overlap' : 'conflict';
  return `Two document paths ${verb} with each other; must remove or rewrite one of these paths; path one: ${formatPath(clash.one)}, path two: ${formatPath(clash.two)}`;
}
