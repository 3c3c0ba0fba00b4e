// Error mapping: store and service errors to grpc-gateway's {code, message} and HTTP status.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidError, type WorkflowService } from '../controller/service.js';
import { StoreTemplateService } from '../controller/template-service.js';
import { InvalidListError } from '../store/list-query.js';
import { SelectorError } from '../store/selectors.js';
import { ConflictError, NotFoundError } from '../store/types.js';
import { badRequest, GrpcCode, httpStatusOf, mapError, RequestError, streamError } from './errors.js';
import { createServer } from './server.js';
import { call } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

describe('mapError', () => {
  it('maps each error type to its gRPC code and Argo\'s HTTP status', () => {
    expect(mapError(new NotFoundError('Workflow', 'ns/a'))).toEqual({ status: 404, body: { code: 5, message: 'Workflow "ns/a" not found' }, internal: false });
    expect(mapError(new ConflictError('Workflow', 'ns/a')).status).toBe(409);
    expect(mapError(new ConflictError('Workflow', 'ns/a')).body.code).toBe(6);
    expect(mapError(new InvalidError('bad', ['x:1:1: bad'])).body).toEqual({ code: 3, message: 'bad' });
    expect(mapError(new SelectorError('a in (', 6, 'unexpected end', 'label')).status).toBe(400);
    expect(mapError(new InvalidListError('invalid continue token')).status).toBe(400);
    expect(mapError(new RequestError(GrpcCode.Unauthenticated, 'no')).status).toBe(401);
    expect(mapError(badRequest('x')).body.code).toBe(3);
    expect(mapError(new Error('boom'))).toEqual({ status: 500, body: { code: 13, message: 'boom' }, internal: true });
    expect(mapError('strange')).toMatchObject({ status: 500, internal: true });
    expect(mapError(Object.assign(new Error('too large'), { statusCode: 413 }))).toEqual({ status: 413, body: { code: 3, message: 'too large' }, internal: false });
  });

  it('follows grpc-gateway\'s code-to-status table', () => {
    expect([3, 5, 6, 7, 9, 13, 14, 16, 99].map(httpStatusOf)).toEqual([400, 404, 409, 403, 400, 500, 503, 401, 500]);
  });

  it('has an in-stream form', () => {
    expect(streamError(new NotFoundError('Workflow', 'a'))).toEqual({ error: { grpc_code: 5, http_code: 404, message: 'Workflow "a" not found', http_status: 'Not Found' } });
  });
});

describe('request errors over HTTP', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/workflows/default', headers: { 'content-type': 'application/json' }, payload: '{"workflow":' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ code: 3, message: expect.stringContaining('not JSON') });
  });

  it('reads JSON sent without a JSON content type', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/workflows/default/lint', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ workflow: { metadata: { name: 'x' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'fake' } }] } } }) });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers a missing or non-object body with 400 naming what to send', async () => {
    const empty = await call<{ message: string }>(s.app, 'POST', '/api/v1/workflows/default');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('request body is missing');
    const array = await call<{ message: string }>(s.app, 'POST', '/api/v1/workflows/default', [1, 2]);
    expect(array.status).toBe(400);
    expect(array.body.message).toContain('JSON object');
    const wrongType = await call<{ message: string }>(s.app, 'PUT', '/api/v1/workflows/default/x/retry', { restartSuccessful: 'yes' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toContain('restartSuccessful');
  });

  it('answers an unknown path with 404 NotFound', async () => {
    const res = await call<{ code: number; message: string }>(s.app, 'GET', '/api/v1/sensors/default');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(5);
  });

  it('answers a bad query parameter with 400', async () => {
    expect((await call(s.app, 'DELETE', '/api/v1/workflows/default/x?force=maybe')).status).toBe(400);
  });
});

describe('internal errors', () => {
  let s: Stack;
  let app: FastifyInstance;
  const logged: string[] = [];
  beforeAll(async () => {
    s = await startStack();
    const failing = new Proxy({} as WorkflowService, {
      get: () => () => Promise.reject(new Error('database on fire')),
    });
    app = createServer({
      workflows: failing,
      templates: new StoreTemplateService(s.store),
      store: s.store,
      version: 'v0',
      metrics: s.metrics,
      auth: { mode: 'none' },
      log: { info: () => undefined, warn: () => undefined, error: (m) => void logged.push(m) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await s.close();
  });

  it('answers 500 Internal with the message, and logs it', async () => {
    const res = await call<{ code: number; message: string }>(app, 'GET', '/api/v1/workflows/default/x');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 13, message: 'database on fire' });
    expect(logged.some((l) => l.includes('GET /api/v1/workflows/default/x') && l.includes('database on fire'))).toBe(true);
  });
});
