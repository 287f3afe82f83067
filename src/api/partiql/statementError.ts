/** A statement's failure as BatchExecuteStatement reports it: Error.Code and Message. */
import { DynamoError } from '../../errors.js';

/** Exception names -> BatchStatementError codes (the model's BatchStatementErrorCodeEnum). */
const CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ValidationException: 'ValidationError',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  TransactionConflictException: 'TransactionConflict',
  ThrottlingException: 'ThrottlingError',
  InternalServerError: 'InternalServerError',
  ResourceNotFoundException: 'ResourceNotFound',
  AccessDeniedException: 'AccessDenied',
  DuplicateItemException: 'DuplicateItem',
};

/** The statement's Error entry; anything but a DynamoDB error (a bug) is thrown on. */
export function statementError(err: unknown): Record<string, unknown> {
  if (!(err instanceof DynamoError)) throw err;
  const error: Record<string, unknown> = { Code: CODES[err.code] ?? 'ValidationError', Message: err.message };
  if (err.extra?.Item !== undefined) error.Item = err.extra.Item;
  return error;
}
