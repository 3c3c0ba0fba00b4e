// InfoService endpoints and the pages outside /api.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('GET / without a built UI says how to build it and links to the API', async () => {
    const res = await s.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build');
    expect(res.body).toContain('href="/api/v1/workflows/"');
  });
});

describe('the built UI at /', () => {
  let ui: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'argot-ui-'));
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    ui = await startStack({ uiDir: dir });
  });
  afterAll(async () => {
    await ui.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and at any app route, so deep links and reloads work', async () => {
    for (const url of ['/', '/workflows/default/x?nodeId=a', '/locks']) {
      const res = await ui.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('id="root"');
    }
  });

  it('serves hashed assets as immutable, and a missing asset or API path as a 404, not the app', async () => {
    const asset = await ui.app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await ui.app.inject({ url: '/assets/index-old.js' })).statusCode).toBe(404);
    const api = await ui.app.inject({ url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(JSON.parse(api.body)).toMatchObject({ code: 5 });
    expect((await ui.app.inject({ url: '/..%2f..%2fetc%2fpasswd' })).body).not.toContain('root:');
    expect((await ui.app.inject({ method: 'POST', url: '/workflows' })).statusCode).toBe(404);
  });
});
