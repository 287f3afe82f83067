/**
 * Compiles model shapes into checking closures, once per shape, so a request is
 * validated by a direct walk instead of re-reading the model. A walk throws a
 * SerializationException at the first JSON-type mismatch and records constraint
 * violations (with their member paths) in a Violations list.
 */
import { DynamoError, validationError } from '../../errors.js';
import { constraintsOf, mapEntryConstraint, NOT_NULL, type Constraint } from './constraints.js';
import { isObject, notAList, notAnObject, notConvertible } from './jsonTypes.js';
import { shapeNamed, type Shape, type ShapeType } from './model.js';
import { elementPath, lowerFirst, mapValuePath, memberPath } from './paths.js';
import type { Violations } from './violations.js';
import { TABLE_REFERENCE_SHAPE, tableReferenceConstraints } from './tableReference.js';

export type Checker = (value: unknown, path: string, violations: Violations, depth: number) => void;

interface Node {
  /** Throws the SerializationException for a value of the wrong JSON type. */
  assertType: (value: unknown) => void;
  /** The shape's own constraints (none for type-only shapes). */
  constraints: Constraint[];
  /** Walks a value already known to have the right type: members, elements, entries. */
  contents: Checker;
  /** assertType + own constraints (reported at `path`) + contents. */
  check: Checker;
  /** False when nothing in this shape's subtree can be violated: the walk then skips building paths. */
  reports: boolean;
}

/**
 * Shapes checked for JSON type only. Their semantic rules (exactly one type per value,
 * number syntax, 64 KB attribute names counted in bytes) belong to the values layer,
 * which reports them in DynamoDB's own words rather than as model constraints.
 */
const TYPE_ONLY = new Set(['AttributeValue', 'AttributeName']);

/**
 * Bound on nested containers, far above DynamoDB's 32 document levels (two containers
 * each), which the values layer enforces. It only keeps hostile input off the stack.
 */
const MAX_DEPTH = 256;

const JAVA_TYPES: Record<Exclude<ShapeType, 'structure' | 'list' | 'map'>, string> = {
  string: 'String',
  blob: 'Blob',
  integer: 'Integer',
  long: 'Long',
  double: 'Double',
  timestamp: 'Timestamp',
  boolean: 'Boolean',
};

const NUMERIC = new Set<ShapeType>(['integer', 'long', 'double']);
/** Java's int range; a long beyond 2^53 cannot be told apart once parsed into a JS number. */
const WHOLE_NUMBER_RANGE: Partial<Record<ShapeType, (value: number) => boolean>> = {
  integer: (value) => Number.isInteger(value) && value >= -2147483648 && value <= 2147483647,
  long: (value) => Number.isSafeInteger(value),
};

const nodes = new Map<string, Node>();

export function checkerFor(shapeName: string): Checker {
  return nodeFor(shapeName).check;
}

function nodeFor(name: string): Node {
  let node = nodes.get(name);
  if (node === undefined) {
    // Registered before its children are built, so recursive shapes (AttributeValue
    // -> L -> AttributeValue) resolve to this same node.
    node = { assertType: unbuilt, constraints: [], contents: unbuilt, check: unbuilt, reports: reports(name) };
    nodes.set(name, node);
    build(name, shapeNamed(name), node);
  }
  return node;
}

function unbuilt(): never {
  throw new Error('shape used before it was compiled');
}

const reportCache = new Map<string, boolean>();

function reports(name: string): boolean {
  const known = reportCache.get(name);
  if (known !== undefined) return known;
  reportCache.set(name, false); // provisional, breaks cycles (only type-only shapes recurse)
  const shape = shapeNamed(name);
  let result = false;
  if (!TYPE_ONLY.has(name)) {
    result =
      shape.min !== undefined || shape.max !== undefined || shape.enum !== undefined || shape.pattern !== undefined ||
      (shape.required?.length ?? 0) > 0;
    for (const child of childShapes(shape)) result = reports(child) || result;
  }
  reportCache.set(name, result);
  return result;
}

function childShapes(shape: Shape): string[] {
  const children = shape.members ? Object.values(shape.members) : [];
  for (const ref of [shape.member, shape.key, shape.value]) if (ref !== undefined) children.push(ref);
  return children;
}

function build(name: string, shape: Shape, node: Node): void {
  node.constraints = TYPE_ONLY.has(name) ? [] : name === TABLE_REFERENCE_SHAPE ? tableReferenceConstraints() : constraintsOf(shape);
  switch (shape.type) {
    case 'structure':
      buildStructure(shape, node);
      break;
    case 'list':
      buildList(shape, node);
      break;
    case 'map':
      buildMap(name, shape, node);
      break;
    default:
      buildScalar(shape.type, node);
  }
  node.check = withOwnConstraints(name, node);
}

function withOwnConstraints(name: string, node: Node): Checker {
  const { assertType, constraints, contents } = node;
  if (constraints.length === 0 && contents === noContents) return assertType; // plain scalar: one call
  if (constraints.length === 0) return (value, path, violations, depth) => {
    assertType(value);
    contents(value, path, violations, depth);
  };
  return (value, path, violations, depth) => {
    assertType(value);
    for (const constraint of constraints) {
      if (constraint.violatedBy(value)) violations.add(path, constraint.message, name, value);
    }
    contents(value, path, violations, depth);
  };
}

function buildScalar(type: keyof typeof JAVA_TYPES, node: Node): void {
  const javaType = JAVA_TYPES[type];
  const jsType = type === 'string' || type === 'blob' ? 'string' : type === 'boolean' ? 'boolean' : 'number';
  const inRange = WHOLE_NUMBER_RANGE[type];
  node.assertType = inRange === undefined
    ? (value) => {
      if (typeof value !== jsType) throw notConvertible(value, javaType);
    }
    : (value) => {
      // 1.5, 1e400 or 2^53 + 1 do not fit an Integer / Long member: refused like a wrong JSON type.
      if (typeof value !== 'number' || !inRange(value)) throw notConvertible(value, javaType);
    };
  node.contents = noContents;
}

function noContents(): void {}

function tooDeep(): DynamoError {
  return validationError(
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
}

function buildStructure(shape: Shape, node: Node): void {
  const required = new Set(shape.required);
  const members = Object.entries(shape.members!).map(([name, shapeName]) => ({
    name,
    pathName: lowerFirst(name),
    shape: shapeName,
    node: nodeFor(shapeName),
    required: required.has(name),
    numeric: NUMERIC.has(shapeNamed(shapeName).type),
  }));
  node.assertType = (value) => {
    if (!isObject(value)) throw notAnObject(value);
  };
  if (node.reports) {
    // Declared order: DynamoDB reports violations in the order of the shape's members.
    node.contents = (value, path, violations, depth) => {
      if (depth > MAX_DEPTH) throw tooDeep();
      const object = value as Record<string, unknown>;
      for (const member of members) {
        const memberValue = object[member.name];
        if (memberValue === undefined || memberValue === null) {
          if (memberValue === null) delete object[member.name]; // null means absent
          if (member.required) violations.add(memberPath(path, member.pathName), NOT_NULL, member.shape, null);
          continue;
        }
        if (path === '' && member.numeric) {
          // A top-level number out of range is reported by its member name, without the value.
          member.node.assertType(memberValue);
          for (const c of member.node.constraints) if (c.violatedBy(memberValue)) violations.addUnquoted(member.name, c.message);
          continue;
        }
        const childPath = member.node.reports ? memberPath(path, member.pathName) : '';
        member.node.check(memberValue, childPath, violations, depth + 1);
      }
    };
  } else {
    // Nothing to report (e.g. AttributeValue): visit only the keys present.
    const byName: Record<string, Node> = Object.create(null);
    for (const m of members) byName[m.name] = m.node;
    node.contents = (value, _path, violations, depth) => {
      if (depth > MAX_DEPTH) throw tooDeep();
      const object = value as Record<string, unknown>;
      for (const key in object) {
        const member = byName[key];
        if (member === undefined) continue; // unknown members are ignored, as DynamoDB does
        const memberValue = object[key];
        if (memberValue === null) delete object[key];
        else member.check(memberValue, '', violations, depth + 1);
      }
    };
  }
}

function buildList(shape: Shape, node: Node): void {
  const elementShape = shape.member!;
  const element = nodeFor(elementShape);
  node.assertType = (value) => {
    if (!Array.isArray(value)) throw notAList(value);
  };
  node.contents = (value, path, violations, depth) => {
    if (depth > MAX_DEPTH) throw tooDeep();
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!element.reports) {
        // Type-only elements (AttributeValues): a null is the values layer's to judge.
        if (item !== null) element.check(item, '', violations, depth + 1);
      } else if (item === null) {
        violations.add(elementPath(path, i), NOT_NULL, elementShape, null);
      } else {
        element.check(item, elementPath(path, i), violations, depth + 1);
      }
    }
  };
}

function buildMap(name: string, shape: Shape, node: Node): void {
  const valueShape = shape.value!;
  const keyConstraints = nodeFor(shape.key!).constraints;
  const entry = nodeFor(valueShape);
  const valueMessage = entry.constraints.length > 0 ? mapEntryConstraint('value', entry.constraints) : '';
  node.assertType = (value) => {
    if (!isObject(value)) throw notAnObject(value);
  };
  node.contents = (value, path, violations, depth) => {
    if (depth > MAX_DEPTH) throw tooDeep();
    const map = value as Record<string, unknown>;
    for (const key in map) {
      const entryValue = map[key];
      if (keyConstraints.some((c) => c.violatedBy(key))) violations.add(path, mapEntryConstraint('key', keyConstraints, key), name, map);
      if (entryValue === null) {
        if (entry.reports) violations.add(mapValuePath(path, key), NOT_NULL, valueShape, null);
        continue;
      }
      // A map reports its entries' own constraints at the map's path, all at once.
      entry.assertType(entryValue);
      if (valueMessage !== '' && entry.constraints.some((c) => c.violatedBy(entryValue))) {
        violations.add(path, valueMessage, name, map);
      }
      entry.contents(entryValue, entry.reports ? mapValuePath(path, key) : '', violations, depth + 1);
    }
  };
}
