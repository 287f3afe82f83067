/** The authenticated caller (under `--auth`): established by SigV4 verification, read by authorization, namespaces and the audit log. */
import type { CompiledPolicy } from './policy.js';

/** Who sent a request, as the server authenticated it. */
export interface Caller {
  /** arn:aws:iam::<account>:user/<name> */
  arn: string;
  account: string;
  name: string;
  userId: string;
  /** The region of the request's signature. */
  region: string;
  /** Undefined: the user may do everything in its own account. */
  policy: CompiledPolicy | undefined;
  sourceIp: string;
  secureTransport: boolean;
}
