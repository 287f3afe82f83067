/** DescribeBackup. */
import type { Operation } from '../context.js';
import { backupDescription } from './backupDescription.js';

export const describeBackup: Operation = async (ctx, input) => ({ BackupDescription: backupDescription(await ctx.db.backups.find(input.BackupArn, ctx.namespace)) });
