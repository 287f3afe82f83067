/**
 * Table references: every operation on an existing table takes its name or its ARN,
 * `arn:<partition>:dynamodb:<region>:<account>:table/<name>`. A name is looked up in the
 * caller's namespace; an ARN in the namespace it names, when that is the caller's or
 * (under authentication) another (account, region)'s. Anything else that starts with
 * `arn:` is refused.
 */
import { DynamoError, validationError } from '../errors.js';
import { catalogName, type Namespace } from './namespace.js';

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]*):([^:]*):table\/([a-zA-Z0-9_.-]{3,255})$/;

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
 * The catalog name of the table an ARN names, seen from `namespace`. `foreignKey` gives the
 * namespace key of another (account, region) when the namespace reaches across accounts.
 */
export function catalogNameOfArn(arn: string, namespace: Namespace, foreignKey: (account: string, region: string) => string): string {
  const match = TABLE_ARN.exec(arn);
  if (match === null) throw invalidTableArn(arn);
  const [, region, account, name] = match as unknown as [string, string, string, string];
  if (account === namespace.accountId && region === namespace.region) return catalogName(namespace.key, name);
  if (namespace.crossAccount) return catalogName(foreignKey(account, region), name);
  // The account is checked first: another account's ARN is denied whatever its region.
  if (account !== namespace.accountId) throw new ForeignTableDenied(arn, namespace.accountId);
  throw invalidTableArn(arn);
}
