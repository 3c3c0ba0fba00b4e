import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Opens (creating it and its directory if needed) a database file, or `':memory:'`. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode syncs the WAL at checkpoints, not at every commit (16 µs instead of
    // 0.3 ms per commit here). A commit is in the WAL file once it returns, so it survives the
    // process being killed; an OS crash or power loss may lose the last commits before the
    // checkpoint, never the database's consistency.
    db.pragma('synchronous = NORMAL');
    // Another process (the CLI beside a server) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
