// InfoService endpoints and the pages outside /api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, conforms } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s.close();
});

describe('info endpoints', () => {
  it('GET /api/v1/version answers Argo\'s Version with every field', async () => {
    const res = await call<Record<string, string>>(s.app, 'GET', '/api/v1/version');
    expect(res.status).toBe(200);
    expect(res.body['version']).toBe('v0.1.0-test');
    expect(res.body['platform']).toMatch(/^[a-z0-9]+\/[a-z0-9]+$/);
    conforms(res.body, 'Version');
  });

  it('GET /api/v1/info answers an InfoResponse the UI can start with', async () => {
    const res = await call(s.app, 'GET', '/api/v1/info');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ links: [], columns: [], modals: {} });
    conforms(res.body, 'InfoResponse');
  });

  it('GET /api/v1/userinfo answers a GetUserInfoResponse', async () => {
    const res = await call(s.app, 'GET', '/api/v1/userinfo');
    expect(res.status).toBe(200);
    conforms(res.body, 'GetUserInfoResponse');
  });

  it('POST /api/v1/tracking/event answers {}', async () => {
    expect((await call(s.app, 'POST', '/api/v1/tracking/event', { name: 'openedPage' })).body).toEqual({});
  });

  it('GET / says the UI is not there yet and links to the API', async () => {
    const res = await s.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('web UI is not built yet');
    expect(res.body).toContain('href="/api/v1/workflows/"');
  });
});
