// Bearer-token auth, and the bind-address decision that chooses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFor, isLoopback } from './auth.js';
import { call } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

describe('authFor', () => {
  it('needs no auth on loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopback(address), address).toBe(true);
      expect(authFor(address), address).toEqual({ mode: 'none' });
    }
  });

  it('generates a long random token for any other address', () => {
    for (const address of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      const auth = authFor(address);
      expect(auth.mode, address).toBe('bearer');
      if (auth.mode === 'bearer') expect(auth.token.length).toBeGreaterThanOrEqual(32);
    }
    const a = authFor('0.0.0.0');
    const b = authFor('0.0.0.0');
    expect(a.mode === 'bearer' && b.mode === 'bearer' && a.token !== b.token).toBe(true);
  });

  it('uses a given token on any address, loopback included', () => {
    expect(authFor('0.0.0.0', 'secret')).toEqual({ mode: 'bearer', token: 'secret' });
    expect(authFor('127.0.0.1', 'secret')).toEqual({ mode: 'bearer', token: 'secret' });
  });
});

describe('bearer mode', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ auth: { mode: 'bearer', token: 's3cret-token' } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers 401 Unauthenticated without a token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer ' }, { authorization: 'Basic czNjcmV0LXRva2Vu' }, { authorization: 'Bearer s3cret-token-longer' }];
    for (const headers of attempts) {
      const res = await call<{ code: number; message: string }>(s.app, 'GET', '/api/v1/workflows/default', undefined, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.code).toBe(16);
    }
  });

  it('lets the right token through, in the header or the UI\'s cookie', async () => {
    expect((await call(s.app, 'GET', '/api/v1/workflows/default', undefined, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect((await call(s.app, 'GET', '/api/v1/workflows/default', undefined, { authorization: 'bearer s3cret-token' })).status).toBe(200);
    expect((await call(s.app, 'GET', '/api/v1/info', undefined, { cookie: 'theme=dark; authorization=Bearer%20s3cret-token' })).status).toBe(200);
  });

  it('guards every /api path, writes and unknown paths included, but not the version', async () => {
    expect((await call(s.app, 'POST', '/api/v1/workflows/default', { workflow: {} })).status).toBe(401);
    expect((await call(s.app, 'GET', '/api/v1/nothing-here')).status).toBe(401);
    expect((await call(s.app, 'GET', '/api/v1/workflow-events/default')).status).toBe(401);
    expect((await call(s.app, 'GET', '/api/v1/version')).status).toBe(200);
    expect((await call(s.app, 'GET', '/api/v1/version/')).status).toBe(200);
  });

  it('leaves /metrics and / open, as Argo Server does', async () => {
    expect((await s.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await s.app.inject({ url: '/' })).statusCode).toBe(200);
  });
});

describe('none mode', () => {
  it('allows everything without a token', async () => {
    const s = await startStack({ auth: { mode: 'none' } });
    try {
      expect((await call(s.app, 'GET', '/api/v1/workflows/default')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
