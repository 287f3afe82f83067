/** DeleteBackup: the backup is gone at once (DELETED in the answer); its items are purged in the background. */
import type { Operation } from '../context.js';
import { backupDescription } from './backupDescription.js';

export const deleteBackup: Operation = async (ctx, input) => ({ BackupDescription: backupDescription(await ctx.db.backups.delete(input.BackupArn, ctx.namespace)) });
