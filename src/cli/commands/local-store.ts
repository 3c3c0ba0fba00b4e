import { join } from 'node:path';
import type { Config } from '../../config.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { Store } from '../../store/types.js';

/** The embedded store in the data dir: what `argot run` writes and `argot list|get|logs` read without a server. */
export function openLocalStore(config: Config): Store {
  return openSqliteStore(join(config.dataDir, 'argot.db'));
}
