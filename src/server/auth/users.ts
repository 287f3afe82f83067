/**
 * The users file of `--auth`: access keys, secrets, accounts, names, optional session
 * tokens and IAM policy documents. Policies are compiled when the file is read; a
 * reload (SIGHUP) swaps the whole set at once, or keeps the old one if the new file is bad.
 */
import { readFileSync } from 'node:fs';
import { compileIdentityPolicies, PolicyError, type CompiledPolicy } from '../../api/authorization/policy.js';

export interface AuthUser {
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
  name: string;
  userId: string;
  sessionToken: string | undefined;
  /** Undefined: no policies, so everything in the user's own account. */
  policy: CompiledPolicy | undefined;
  /** arn:aws:iam::<account>:user/<name> */
  arn: string;
}

export class UsersFileError extends Error {}

export class UserDirectory {
  private users = new Map<string, AuthUser>();

  constructor(readonly file: string) {
    this.reload();
  }

  find(accessKeyId: string): AuthUser | undefined {
    return this.users.get(accessKeyId);
  }

  get size(): number {
    return this.users.size;
  }

  /** Reads the file again; throws (keeping the users it had) when the file is unreadable or invalid. */
  reload(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      throw new UsersFileError(`cannot read the users file ${this.file}: ${(err as Error).message}`);
    }
    this.users = parseUsers(text, this.file);
  }
}

export function parseUsers(text: string, file: string): Map<string, AuthUser> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsersFileError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const list = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw new UsersFileError(`${file}: expected { "users": [ ... ] }`);
  const users = new Map<string, AuthUser>();
  list.forEach((entry: Record<string, unknown>, i) => {
    const where = `${file}: users[${i}]`;
    const text = (name: string, optional = false): string | undefined => {
      const value = entry?.[name];
      if (value === undefined && optional) return undefined;
      if (typeof value !== 'string' || value === '') throw new UsersFileError(`${where}.${name} must be a non-empty string`);
      return value;
    };
    const accessKeyId = text('accessKeyId')!;
    const account = text('account')!;
    if (!/^\d{12}$/.test(account)) throw new UsersFileError(`${where}.account must be 12 digits`);
    const name = text('name')!;
    if (users.has(accessKeyId)) throw new UsersFileError(`${where}: access key ${accessKeyId} appears twice`);
    const userId = text('userId', true) ?? accessKeyId;
    const policies = entry.policies;
    if (policies !== undefined && !Array.isArray(policies)) throw new UsersFileError(`${where}.policies must be a list of policy documents`);
    let policy: CompiledPolicy | undefined;
    try {
      policy = policies === undefined ? undefined : compileIdentityPolicies(policies, { username: name, userid: userId, account });
    } catch (err) {
      if (err instanceof PolicyError) throw new UsersFileError(`${where}.policies: ${err.message}`);
      throw err;
    }
    users.set(accessKeyId, {
      accessKeyId,
      secretAccessKey: text('secretAccessKey')!,
      account,
      name,
      userId,
      sessionToken: text('sessionToken', true),
      policy,
      arn: `arn:aws:iam::${account}:user/${name}`,
    });
  });
  return users;
}
