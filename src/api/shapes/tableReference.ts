/**
 * Members of shape TableArn (TableName of every operation on an existing table, the keys
 * of BatchGetItem / BatchWriteItem RequestItems, transaction actions) take a table name
 * or a table ARN. The model only bounds them to 1..1024 characters; DynamoDB still holds
 * a plain name to the table-name rules (pattern, 3..255), reported as before. An ARN is
 * only length-checked here; the engine resolves it (engine/tableArn.ts).
 */
import { constraintsOf, type Constraint } from './constraints.js';
import { shapeNamed } from './model.js';

export const TABLE_REFERENCE_SHAPE = 'TableArn';

const isArn = (value: unknown) => (value as string).startsWith('arn:');
const isEmpty = (value: unknown) => (value as string).length === 0;

/** The checks a name gets (an empty value only fails the model's own minimum of 1). */
const heldToNameRules = (value: unknown) => !isArn(value) && !isEmpty(value);

export function tableReferenceConstraints(): Constraint[] {
  const restricted = (constraint: Constraint, appliesTo: (value: unknown) => boolean): Constraint => ({
    message: constraint.message,
    appliesTo,
    violatedBy: (value) => appliesTo(value) && constraint.violatedBy(value),
  });
  return [
    ...constraintsOf(shapeNamed('TableName')).map((c) => restricted(c, heldToNameRules)),
    ...constraintsOf(shapeNamed(TABLE_REFERENCE_SHAPE)).map((c) => restricted(c, (value) => !heldToNameRules(value))),
  ];
}
