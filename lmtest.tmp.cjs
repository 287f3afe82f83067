const { open } = require('lmdb');
const fs = require('fs');
for (const ovl of [false, true, false, true]) {
  const path = `/tmp/lm/db-${ovl}-${Date.now()}`;
  const db = open({ path, noSubdir: true, keyEncoding: 'binary', encoding: 'binary', pageSize: 8192, overlappingSync: ovl, separateFlushed: ovl });
  const val = Buffer.alloc(1000, 7);
  for (let i = 0; i < 20000; i++) db.putSync(Buffer.from('k' + i), val);
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  const N = 3000;
  for (let i = 0; i < N; i++) db.transactionSync(() => { for (let j = 0; j < 10; j++) db.put(Buffer.from('k' + ((i * 7919 + j * 104729) % 20000)), val); });
  const dt = Number(process.hrtime.bigint() - t0) / 1e3 / N; const c = process.cpuUsage(c0);
  console.log(`overlappingSync=${ovl}: ${dt.toFixed(1)} µs per transactionSync of 10 puts, cpu ${((c.user + c.system) / N).toFixed(1)} µs`);
  db.close(); 
}
