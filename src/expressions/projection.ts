/**
 * Projections (ProjectionExpression / AttributesToGet, and the touched paths of an update):
 * a tree of the requested paths, applied to an item to give exactly the sub-document
 * DynamoDB returns — list elements compacted in index order, missing paths omitted.
 */
import { setAttribute, type AttributeMap, type AttributeValue, type Item } from '../values/types.js';
import type { Path } from './ast.js';
import { ownValue } from './documentPath.js';

/** A node takes the whole value (`whole`), or some map keys, or some list indexes. */
interface ProjectionNode {
  whole: boolean;
  keys: Map<string, ProjectionNode> | undefined;
  /** Sorted ascending, so a projected list keeps DynamoDB's element order. */
  indexes: { index: number; node: ProjectionNode }[] | undefined;
}

export interface Projection {
  readonly paths: readonly Path[];
  readonly top: Map<string, ProjectionNode>;
}

function emptyNode(): ProjectionNode {
  return { whole: false, keys: undefined, indexes: undefined };
}

/** Builds the tree. Paths must not overlap or conflict (checked by the caller where DynamoDB rejects it). */
export function buildProjection(paths: readonly Path[]): Projection {
  const top = new Map<string, ProjectionNode>();
  for (const path of paths) {
    let node: ProjectionNode | undefined = top.get(path[0] as string);
    if (node === undefined) top.set(path[0] as string, (node = emptyNode()));
    for (let i = 1; i < path.length; i++) {
      const segment = path[i];
      if (typeof segment === 'number') {
        node.indexes ??= [];
        let entry: { index: number; node: ProjectionNode } | undefined = node.indexes.find((e) => e.index === segment);
        if (entry === undefined) {
          entry = { index: segment, node: emptyNode() };
          node.indexes.push(entry);
          node.indexes.sort((a, b) => a.index - b.index);
        }
        node = entry.node;
      } else {
        node.keys ??= new Map();
        let child = node.keys.get(segment);
        if (child === undefined) node.keys.set(segment, (child = emptyNode()));
        node = child;
      }
    }
    node.whole = true;
  }
  return { paths, top };
}

function projectValue(value: AttributeValue, node: ProjectionNode): AttributeValue | undefined {
  if (node.whole) return value;
  if (node.keys !== undefined && 'M' in value) {
    const out: AttributeMap = {};
    let any = false;
    for (const [name, child] of node.keys) {
      const v = ownValue(value.M, name);
      const projected = v === undefined ? undefined : projectValue(v, child);
      if (projected !== undefined) {
        setAttribute(out, name, projected);
        any = true;
      }
    }
    return any ? { M: out } : undefined;
  }
  if (node.indexes !== undefined && 'L' in value) {
    const out: AttributeValue[] = [];
    for (const { index, node: child } of node.indexes) {
      const v = value.L[index];
      const projected = v === undefined ? undefined : projectValue(v, child);
      if (projected !== undefined) out.push(projected);
    }
    return out.length > 0 ? { L: out } : undefined;
  }
  return undefined;
}

export function projectItem(projection: Projection, item: Item): Item {
  const out: Item = {};
  for (const [name, node] of projection.top) {
    const v = ownValue(item, name);
    const projected = v === undefined ? undefined : projectValue(v, node);
    if (projected !== undefined) setAttribute(out, name, projected);
  }
  return out;
}
