/**
 * The lmdb package, required through its CommonJS build rather than imported: its ES
 * build imports a CommonJS package (node-gyp-build-optional-packages), which makes
 * Node.js start its CommonJS export analyser (tens of ms of CPU on every on-disk start).
 * One module for every user, so the process holds one instance of lmdb (it keeps a
 * table of open environments).
 */
import { createRequire } from 'node:module';

export type Lmdb = typeof import('lmdb');

export const lmdb = createRequire(import.meta.url)('lmdb') as Lmdb;
