/**
 * The PostgreSQL table behind PostgresStore and the statements that read and write it.
 *
 * A B-tree entry may not exceed about 2.7 KB (a third of an 8 KiB page), shorter than the
 * longest keys OpenDDB builds (LAYOUT_MAX_KEY_BYTES). So the primary key is not the key
 * itself but `(head, hash)`: its first HEAD_BYTES bytes and its SHA-256, both generated
 * columns. Unique: two keys with one head and one SHA-256 would be a SHA-256 collision.
 * Ordered: keys with different heads compare as their heads do (a head is a prefix of its
 * key), so `ORDER BY head, key` walks the index by head and sorts only the rare keys that
 * share a full head (incremental sort, PostgreSQL 13+). Range bounds on `key` are repeated
 * as bounds on `head` so the index applies.
 */
import type pg from 'pg';

/** Long enough that heads of ordinary keys are the whole key; short enough for a B-tree entry with the hash. */
export const HEAD_BYTES = 2048;

export interface Statements {
  getMany: string;
  forward: string;
  forwardOpen: string;
  backward: string;
  backwardOpen: string;
  upsert: string;
  insertIfAbsent: string;
  remove: string;
}

const head = (param: string): string => `substring(${param} from 1 for ${HEAD_BYTES})`;

export function statementsFor(table: string): Statements {
  const t = quote(table);
  const select = `SELECT key, value FROM ${t}`;
  const from = `head >= ${head('$1::bytea')} AND key >= $1`;
  const below = `head <= ${head('$2::bytea')} AND key < $2`;
  return {
    getMany:
      `SELECT t.key, t.value FROM unnest($1::bytea[]) AS wanted(key) JOIN ${t} AS t ` +
      `ON t.head = ${head('wanted.key')} AND t.hash = sha256(wanted.key)`,
    forward: `${select} WHERE ${from} AND ${below} ORDER BY head, key LIMIT $3`,
    forwardOpen: `${select} WHERE ${from} ORDER BY head, key LIMIT $2`,
    backward: `${select} WHERE ${from} AND ${below} ORDER BY head DESC, key DESC LIMIT $3`,
    backwardOpen: `${select} WHERE ${from} ORDER BY head DESC, key DESC LIMIT $2`,
    upsert:
      `INSERT INTO ${t} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ` +
      'ON CONFLICT (head, hash) DO UPDATE SET value = EXCLUDED.value',
    // The arbiter check reads the index with a dirty snapshot, which takes no serializable lock.
    insertIfAbsent: `INSERT INTO ${t} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (head, hash) DO NOTHING`,
    remove:
      `DELETE FROM ${t} AS t USING unnest($1::bytea[]) AS gone(key) ` +
      `WHERE t.head = ${head('gone.key')} AND t.hash = sha256(gone.key)`,
  };
}

const GENERATED_COLUMNS =
  `head bytea GENERATED ALWAYS AS (${head('key')}) STORED, ` + 'hash bytea GENERATED ALWAYS AS (sha256(key)) STORED';

/**
 * Creates the table if missing; a table of the first layout (`key` as the primary key,
 * keys limited to ~2.7 KB) is converted in one transaction.
 */
export async function ensureTable(pool: pg.Pool, table: string): Promise<void> {
  const t = quote(table);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${t} (key bytea NOT NULL, value bytea NOT NULL, ${GENERATED_COLUMNS}, PRIMARY KEY (head, hash))`);
  const columns = await pool.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'head'`, [table]);
  if (columns.rowCount !== 0) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${t} ADD COLUMN head bytea GENERATED ALWAYS AS (${head('key')}) STORED, ADD COLUMN hash bytea GENERATED ALWAYS AS (sha256(key)) STORED`);
    await client.query(`ALTER TABLE ${t} DROP CONSTRAINT ${quote(`${table}_pkey`)}, ADD PRIMARY KEY (head, hash)`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
