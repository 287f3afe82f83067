/**
 * The directory standing for S3 in exports and imports: the configured one, or a temporary
 * directory made on first use (in memory) and removed when the database closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class S3Directory {
  private temporary: string | undefined;

  constructor(private root: string | undefined) {}

  path(): string {
    if (this.root === undefined) this.root = this.temporary = mkdtempSync(join(tmpdir(), 'openddb-s3-'));
    return this.root;
  }

  removeTemporary(): void {
    if (this.temporary !== undefined) rmSync(this.temporary, { recursive: true, force: true });
  }
}
