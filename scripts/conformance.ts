// Entry point of `npm run conformance` (tsx scripts/conformance.ts); the logic is in ./conformance/.

import { defaultIo, exitOnInterrupt, main } from './conformance/main.js';

exitOnInterrupt();
main(process.argv.slice(2), defaultIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
