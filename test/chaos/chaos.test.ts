// `npm run chaos` at a small size in CI (issue 6): workflows sharing a mutex, containerSet pods
// deleted at random (abrupt and graceful), the server SIGKILLed once and restarted.
import { describe, expect, it } from 'vitest';
import { repo } from '../cli/cli.js';
import { formatReport, runChaos } from '../../scripts/chaos/run-chaos.js';

describe('chaos: pod loss and a server crash under a shared mutex', () => {
  it('every workflow ends, none stays Running, no lock is left held, the mutex never has two holders', async () => {
    const report = await runChaos({ workflows: 8, seed: 4242, repo, timeoutMs: 150_000 });
    const text = formatReport(report);
    expect(report.unfinished, text).toEqual([]);
    expect(report.violations, text).toEqual([]);
    expect(report.locksHeldAtEnd, text).toBe(0);
    expect(report.maxMutexHolders, text).toBe(1);
    expect(report.succeeded + report.failed, text).toBe(8);
    expect(report.serverKilledAfterMs, text).toBeGreaterThan(0);
    expect(report.deletions.abrupt + report.deletions.graceful, text).toBeGreaterThan(0);
  }, 180_000);
});
