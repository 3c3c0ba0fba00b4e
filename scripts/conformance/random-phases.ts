// Files whose outcome depends on a coin flip (`random` in EXPECTED.tsv). A run passes when it ends
// in any phase the file can reach; each entry says why that set, from reading the file.
// Probabilities are per run, so "rare" phases still show up over many runs.

import type { WorkflowPhase } from '../../src/spec/types.js';

export interface RandomOutcome {
  phases: WorkflowPhase[];
  why: string;
}

const SUCCEEDS: WorkflowPhase[] = ['Succeeded'];
const EITHER: WorkflowPhase[] = ['Succeeded', 'Failed'];

export const RANDOM_PHASES: Readonly<Record<string, RandomOutcome>> = {
  // Heads or tails only picks a branch; every branch succeeds.
  'coinflip.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'coinflip-recursive.yaml': { phases: SUCCEEDS, why: 'recurses until heads, then succeeds' },
  'dag-coinflip.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'conditional-parameters.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'dag-conditional-parameters.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'conditional-artifacts.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'dag-conditional-artifacts.yaml': { phases: SUCCEEDS, why: 'both branches succeed' },
  'conditionals-complex.yaml': { phases: SUCCEEDS, why: 'whens only skip steps' },
  'withsequence-nested-result.yaml': { phases: SUCCEEDS, why: 'a random count of 0..5 iterations; 0 is an empty loop' },
  // Retries with a limit: every attempt can fail (e.g. 2/3 per attempt, 11 attempts ≈ 1%).
  'retry-container.yaml': { phases: EITHER, why: 'limit 10, each attempt fails with p=2/3' },
  'retry-script.yaml': { phases: EITHER, why: 'limit 10, each attempt fails with p=2/3' },
  'retry-backoff.yaml': { phases: EITHER, why: 'limit 10, each attempt fails with p=2/3' },
  'retry-with-steps.yaml': { phases: EITHER, why: 'three steps, limit 10 each, p=2/3 per attempt' },
  'workflow-template/retry-with-steps.yaml': { phases: EITHER, why: 'three steps, limit 10 each, p=2/3 per attempt' },
  'retry-on-error.yaml': { phases: EITHER, why: 'limit 2, each attempt fails with p=4/5 (≈51% all fail)' },
  'template-defaults.yaml': { phases: EITHER, why: 'templateDefaults limit 2, p=2/3 per attempt' },
  // `retryStrategy: {}` retries until it succeeds.
  'retry-container-to-completion.yaml': { phases: SUCCEEDS, why: 'unlimited retries' },
  // Exit 1 stops the retries by expression; exit 2 retries; both end in failure.
  'retry-conditional.yaml': { phases: ['Failed'], why: 'always ends on a failing attempt' },
  // No retries at all.
  'resubmit.yaml': { phases: EITHER, why: 'nine pods, each fails with p=1/3, no retries' },
  'custom-metrics.yaml': { phases: EITHER, why: 'the `flakey` step fails with p=2/3, no retries' },
};
