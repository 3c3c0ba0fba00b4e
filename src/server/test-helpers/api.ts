// Small conveniences for in-process API tests: JSON calls through fastify.inject, and response
// checks against Argo's swagger definitions (skipped where ../shared is not checked out).
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { loadSwagger, validate } from './swagger-validate.js';

export const swagger = loadSwagger();

const ARGO = 'io.argoproj.workflow.v1alpha1.';

/** Asserts that `value` conforms to Argo's definition `name` (`Workflow`, `WorkflowList`, …). */
export function conforms(value: unknown, name: string): void {
  if (!swagger) return;
  const full = name.includes('.') ? name : `${ARGO}${name}`;
  expect(validate(swagger, value, full), `${name}: ${JSON.stringify(value).slice(0, 400)}`).toEqual([]);
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  text: string;
}

export async function call<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const res = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body: body as T, headers: res.headers, text: res.body };
}

/** Polls until `check` passes (the controller runs asynchronously). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 1000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
