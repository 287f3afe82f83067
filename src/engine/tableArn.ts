/**
 * Table references: every operation on an existing table takes its name or its ARN,
 * `arn:<partition>:dynamodb:<region>:<account>:table/<name>`. An ARN resolves to the
 * table's name in this server's namespace (region and account); anything else that
 * starts with `arn:` is refused.
 */
import { DynamoError, validationError } from '../errors.js';

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]*):([^:]*):table\/([a-zA-Z0-9_.-]{3,255})$/;

export interface Namespace {
  region: string;
  accountId: string;
}

/**
 * An ARN naming another account. Without a resource-based policy granting access,
 * DynamoDB denies it; the operation's name completes the message (see `forAction`).
 */
export class ForeignTableDenied extends DynamoError {
  constructor(readonly arn: string, readonly accountId: string, action = '*') {
    super(
      'com.amazon.coral.service#AccessDeniedException',
      `User: arn:aws:iam::${accountId}:root is not authorized to perform: dynamodb:${action} on resource: ${arn} ` +
        `because no resource-based policy allows the dynamodb:${action} action`,
    );
  }

  forAction(action: string): ForeignTableDenied {
    return new ForeignTableDenied(this.arn, this.accountId, action);
  }
}

export function isArn(reference: string): boolean {
  return reference.startsWith('arn:');
}

export function invalidTableArn(arn: string): DynamoError {
  return validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
}

/**
 * The table name a TableName member refers to (a plain name is returned as it is). An ARN
 * equal to the named table's own ARN (`arnOf`) resolves whatever its account: under
 * authentication tables carry their creator's account, and authorization decides.
 */
export function tableNameOf(reference: string, namespace: Namespace, arnOf?: (name: string) => string | undefined): string {
  if (!isArn(reference)) return reference;
  const match = TABLE_ARN.exec(reference);
  if (match === null) throw invalidTableArn(reference);
  const [, region, account, name] = match as unknown as [string, string, string, string];
  if (arnOf?.(name) === reference) return name;
  // The account is checked first: another account's ARN is denied whatever its region.
  if (account !== namespace.accountId) throw new ForeignTableDenied(reference, namespace.accountId);
  if (region !== namespace.region) throw invalidTableArn(reference);
  return name;
}
