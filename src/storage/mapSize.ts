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
 * Only on 64-bit Linux, and only when the process may map that much: a 32-bit process
 * or one under an address-space limit (`ulimit -v`) cannot reserve it, and on Windows
 * LMDB grows the file to the map size.
 */
import { readFileSync } from 'node:fs';

const RESERVATION = 2 ** 38; // 256 GiB of address space; grows by remapping beyond
const ARCHITECTURES_64_BIT = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el']);

export function reservedMapSize(): number | undefined {
  if (process.platform !== 'linux' || !ARCHITECTURES_64_BIT.has(process.arch)) return undefined;
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
