// The schema is versioned by one row in `schema_version` and built by an ordered list of steps:
// step i (0-based) brings the database from version i to i + 1. Steps are append-only: an
// released step is never edited, a change is a new step.
import type { Db } from './database.js';

export type Migration = string | ((db: Db) => void);

/** The database was written by a newer argot: opening it could corrupt what that version wrote. */
export class SchemaTooNewError extends Error {
  readonly code = 'FailedPrecondition';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(`${file} has schema version ${found}, but this argot knows versions up to ${supported}: upgrade argot, or point it at another data directory`);
  }
}

/**
 * Applies the missing steps in one write transaction, so two processes opening the same new file
 * do not both run them, and a failed step leaves the previous version intact.
 */
export function migrate(db: Db, steps: readonly Migration[]): { from: number; to: number } {
  return db
    .transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get();
      const from = row?.version ?? 0;
      if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
      if (from > steps.length) throw new SchemaTooNewError(db.name, from, steps.length);
      for (const step of steps.slice(from)) {
        if (typeof step === 'string') db.exec(step);
        else step(db);
      }
      if (from < steps.length) db.prepare('UPDATE schema_version SET version = ?').run(steps.length);
      return { from, to: steps.length };
    })
    .immediate();
}
