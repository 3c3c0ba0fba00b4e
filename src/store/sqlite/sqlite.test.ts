import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../store.suite.js';
import { openSqliteStore } from './index.js';

storeConformance('sqlite (memory)', () => openSqliteStore(':memory:'));

let dir = '';
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argot-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
// A real file: WAL mode and the page cache behave as in production.
storeConformance('sqlite (file)', () => openSqliteStore(join(dir, `${n++}`, 'argot.db')));
