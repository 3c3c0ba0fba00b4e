// A pod's observation from its history of events, by the rules a controller folds live events
// with: what an adopted pod looks like to a controller that had been listening all along.

import type { PodEvent, PodObservation } from '../types.js';

export function observationOf(pod: string, history: PodEvent[]): PodObservation {
  const obs: PodObservation = { name: pod, phase: 'Pending', containers: {} };
  for (const event of history) {
    if (obs.phase === 'Succeeded' || obs.phase === 'Failed' || obs.phase === 'Gone') break;
    switch (event.type) {
      case 'podStarted':
        obs.phase = 'Running';
        obs.startedAt = event.at;
        break;
      case 'containerStarted':
        obs.phase = 'Running';
        obs.containers[event.container] = { state: 'running', startedAt: event.at };
        break;
      case 'containerExited':
        obs.containers[event.container] = {
          state: 'terminated',
          exitCode: event.exitCode,
          finishedAt: event.at,
          ...(event.startedAt ? { startedAt: event.startedAt } : {}),
          ...(event.reason ? { reason: event.reason } : {}),
          ...(event.result !== undefined ? { result: event.result } : {}),
          outputs: event.outputs,
        };
        break;
      case 'podFinished':
        obs.phase = event.phase;
        obs.finishedAt = event.at;
        if (event.message) obs.message = event.message;
        break;
      case 'podGone':
        obs.phase = 'Gone';
        obs.finishedAt = event.at;
        obs.message = event.message;
        break;
    }
  }
  return obs;
}
