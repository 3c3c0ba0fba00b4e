// How a pod's events fold into the level state a controller reads; the runtime uses the same fold
// when it adopts pods, so an adopted pod looks as if the controller had been listening all along.
import type { PodEvent, PodObservation } from './types.js';

/** Folds a runtime's pod events into the level state the engine reads. Terminal states are final. */
export function applyPodEvent(current: PodObservation | undefined, event: PodEvent): PodObservation {
  const obs: PodObservation = current ? { ...current, containers: { ...current.containers } } : { name: event.pod, phase: 'Pending', containers: {} };
  if (obs.phase === 'Succeeded' || obs.phase === 'Failed' || obs.phase === 'Gone') return obs;
  switch (event.type) {
    case 'podStarted':
      obs.phase = 'Running';
      obs.startedAt = event.at;
      break;
    case 'containerStarted':
      obs.phase = 'Running';
      obs.containers[event.container] = { state: 'running', startedAt: event.at };
      break;
    case 'containerReady': {
      const c = obs.containers[event.container];
      if (c?.state === 'running') obs.containers[event.container] = { ...c, ready: true };
      break;
    }
    case 'containerExited': {
      const state: PodObservation['containers'][string] = {
        state: 'terminated',
        exitCode: event.exitCode,
        finishedAt: event.at,
        outputs: event.outputs,
      };
      if (event.startedAt) state.startedAt = event.startedAt;
      if (event.reason) state.reason = event.reason;
      if (event.result !== undefined) state.result = event.result;
      obs.containers[event.container] = state;
      break;
    }
    case 'podFinished':
      obs.phase = event.phase;
      obs.finishedAt = event.at;
      if (event.message) obs.message = event.message;
      break;
    case 'podGone':
      obs.phase = 'Gone';
      obs.finishedAt = event.at;
      obs.message = event.message;
      obs.reason = event.reason;
      break;
  }
  return obs;
}

/** A pod's observation from its whole history of events. */
export function observationOf(pod: string, history: readonly PodEvent[]): PodObservation {
  return history.reduce<PodObservation>((obs, event) => applyPodEvent(obs, event), { name: pod, phase: 'Pending', containers: {} });
}
