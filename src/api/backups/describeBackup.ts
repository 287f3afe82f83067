/** DescribeBackup. */
import type { Operation } from '../context.js';
import { backupDescription } from './backupDescription.js';

export const describeBackup: Operation = (ctx, input) => ({ BackupDescription: backupDescription(ctx.db.backups.find(input.BackupArn)) });
