/** ExecuteStatement: one PartiQL statement — a read of any size, or a single-item write. */
import { validationError } from '../../errors.js';
import type { Operation } from '../context.js';
import { compileInput, parseInput } from './prepare.js';
import { runSelect, type SelectInput } from './runSelect.js';
import { runWrite } from './runWrite.js';

export const executeStatement: Operation = async (ctx, input) => {
  // The shape validation in front guarantees the members' types.
  const request = input as SelectInput & Record<string, any>;
  const statement = parseInput(request);
  if (statement.kind === 'exists') throw validationError('EXISTS is only supported within ExecuteTransaction');
  const compiled = compileInput(ctx, request, statement);
  if (compiled.kind === 'select') return runSelect(ctx, compiled, request);
  if (request.NextToken !== undefined) throw validationError('NextToken is only supported for SELECT statements');
  return runWrite(ctx, compiled, request);
};
