import { describe, expect, it } from 'vitest';
import { StreamParser, type StreamMessage } from '../../src/cli/client/index.js';

function parseAll(chunks: string[]): { messages: StreamMessage[]; skipped: number } {
  const parser = new StreamParser();
  const messages = chunks.flatMap((c) => parser.push(c));
  messages.push(...parser.end());
  return { messages, skipped: parser.skipped };
}

const results = (messages: StreamMessage[]): unknown[] => messages.map((m) => (m.kind === 'result' ? m.value : { error: m.error }));

describe('StreamParser', () => {
  const sse = ':\n' + 'data: {"result":{"type":"ADDED","object":{"n":1}}} \n\n' + ': \n\n' + 'data: {"result":{"type":"MODIFIED","object":{"n":2}}} \n\n';

  it("reads Argo's SSE frames, skipping keepalive comments", () => {
    expect(results(parseAll([sse]).messages)).toEqual([
      { type: 'ADDED', object: { n: 1 } },
      { type: 'MODIFIED', object: { n: 2 } },
    ]);
  });

  it('gives the same messages however the bytes are split', () => {
    const whole = results(parseAll([sse]).messages);
    for (let i = 1; i < sse.length; i++) {
      expect(results(parseAll([sse.slice(0, i), sse.slice(i)]).messages)).toEqual(whole);
    }
    expect(results(parseAll([...sse]).messages)).toEqual(whole);
  });

  it('handles CRLF and CR line ends, also split between chunks', () => {
    const crlf = sse.replace(/\n/g, '\r\n');
    const whole = results(parseAll([sse]).messages);
    for (let i = 1; i < crlf.length; i++) expect(results(parseAll([crlf.slice(0, i), crlf.slice(i)]).messages)).toEqual(whole);
    expect(results(parseAll([sse.replace(/\n/g, '\r')]).messages)).toEqual(whole);
  });

  it('joins multi-line data and ignores event/id/retry fields', () => {
    const text = 'event: message\nid: 7\nretry: 100\ndata: {"result":\ndata: {"a":1}}\n\n';
    expect(results(parseAll([text]).messages)).toEqual([{ a: 1 }]);
  });

  it('reads grpc-gateway NDJSON, with or without a final newline', () => {
    expect(results(parseAll(['{"result":{"content":"a"}}\n{"result":{"content":"b"}}']).messages)).toEqual([{ content: 'a' }, { content: 'b' }]);
  });

  it('surfaces in-stream errors and skips frames that are not JSON', () => {
    const { messages, skipped } = parseAll(['data: not json\n\n', 'data: {"error":{"grpc_code":5,"http_code":404,"message":"gone"}}\n\n', 'data: [1]\n\n']);
    expect(messages).toEqual([{ kind: 'error', error: { grpc_code: 5, http_code: 404, message: 'gone' } }]);
    expect(skipped).toBe(2);
  });

  it('dispatches a last frame that lacks its blank line when the stream ends', () => {
    expect(results(parseAll(['data: {"result":1}']).messages)).toEqual([1]);
  });

  it('decodes multi-byte characters split across chunks (readStream)', async () => {
    const { readStream } = await import('../../src/cli/client/stream.js');
    const bytes = new TextEncoder().encode('data: {"result":"✔ 漢字"}\n\n');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const b of bytes) yield new Uint8Array([b]);
    }
    const out: StreamMessage[] = [];
    for await (const m of readStream(chunks())) out.push(m);
    expect(results(out)).toEqual(['✔ 漢字']);
  });
});
