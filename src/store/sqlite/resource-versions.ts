import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** The store-wide resourceVersion counter (the `meta` row), shared by every kind. */
export class ResourceVersions {
  private readonly bump: Statement<[], number>;
  private readonly read: Statement<[], number>;

  constructor(db: Db) {
    this.bump = db.prepare<[], number>("UPDATE meta SET value = value + 1 WHERE key = 'resourceVersion' RETURNING value").pluck();
    this.read = db.prepare<[], number>("SELECT value FROM meta WHERE key = 'resourceVersion'").pluck();
  }

  /** Call inside the write's transaction, so a rolled-back write gives its number back. */
  next(): number {
    const value = this.bump.get();
    if (value === undefined) throw new Error('internal: the resourceVersion row is missing from meta');
    return value;
  }

  current(): string {
    return String(this.read.get() ?? 0);
  }
}
