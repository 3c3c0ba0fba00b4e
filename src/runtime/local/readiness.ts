// Readiness probes as a kubelet runs them, for daemon pods: httpGet and tcpSocket from this process
// (pods share the host's network: the pod's address is 127.0.0.1), exec in the container's
// environment (local-runtime.ts). Only the checks live here; when they run is the pod's business
// (pod.ts).

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ReadinessProbe } from '../types.js';

/** Kubernetes' defaults for a probe's timings. */
export interface ProbeTimings {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
}

export function probeTimings(probe: ReadinessProbe): ProbeTimings {
  const seconds = (value: number | undefined, fallback: number, min: number): number => Math.max(min, Number.isFinite(value) ? (value as number) : fallback);
  return {
    initialDelayMs: seconds(probe.initialDelaySeconds, 0, 0) * 1000,
    periodMs: seconds(probe.periodSeconds, 10, 1) * 1000,
    timeoutMs: seconds(probe.timeoutSeconds, 1, 1) * 1000,
    successThreshold: Math.round(seconds(probe.successThreshold, 1, 1)),
  };
}

/** The pod's address: every local pod shares the host's loopback. */
export const POD_IP = '127.0.0.1';

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/** Passes on a response from 200 to 399 within the timeout (the body is not read; TLS is not verified, as a kubelet's). */
export function httpProbe(get: NonNullable<ReadinessProbe['httpGet']>, timeoutMs: number): Promise<boolean> {
  if (!validPort(get.port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(ok);
    };
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/argot', Accept: '*/*' };
    for (const h of get.headers ?? []) headers[h.name] = h.value;
    const path = get.path ? (get.path.startsWith('/') ? get.path : `/${get.path}`) : '/';
    const options = { host: get.host ?? POD_IP, port: get.port, path, method: 'GET', headers, agent: false as const };
    const request = get.scheme === 'HTTPS' ? https.request({ ...options, rejectUnauthorized: false }) : http.request(options);
    const timer = setTimeout(() => done(false), timeoutMs);
    request.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done(status >= 200 && status < 400);
    });
    request.on('error', () => done(false));
    request.end();
  });
}

/** Passes when a TCP connection opens within the timeout. */
export function tcpProbe(socket: NonNullable<ReadinessProbe['tcpSocket']>, timeoutMs: number): Promise<boolean> {
  if (!validPort(socket.port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const conn = net.connect({ host: socket.host ?? POD_IP, port: socket.port });
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.once('connect', () => done(true));
    conn.once('error', () => done(false));
  });
}
