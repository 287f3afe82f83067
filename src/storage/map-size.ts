/**
 * How much address space to reserve for LMDB's memory map.
 *
 * lmdb-js grows a small map by remapping, and keeps every outgrown mapping alive
 * (for readers that may still hold pointers into it), so a file that grew to 200 MB
 * ended up mapped several times over: RSS read 650 MB, page tables grew, and the
 * kernel accounted the same page cache once per mapping. Reserving the address space
 * once avoids all remaps below that size; it costs no memory and no disk on Linux,
 * where LMDB without a write map never extends the file to the map size.
 *
 * Only on Linux, and only when the process may map that much: under an address-space
 * limit (`ulimit -v`) a large reservation would fail, and on Windows LMDB grows the
 * file to the map size.
 */
import { readFileSync } from 'node:fs';

const RESERVATION = 2 ** 38; // 256 GiB of address space; grows by remapping beyond

export function reservedMapSize(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  return addressSpaceUnlimited() ? RESERVATION : undefined;
}

function addressSpaceUnlimited(): boolean {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const line = limits.split('\n').find((l) => l.startsWith('Max address space'));
    return line !== undefined && /\bunlimited\s+unlimited\b/.test(line);
  } catch {
    return false;
  }
}
