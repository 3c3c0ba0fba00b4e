// Argo Server's streaming framing (argoproj/pkg grpc/http StreamForwarder), written straight to the
// socket because SSE libraries impose their own framing:
//  - `Accept: text/event-stream`: `data: {"result":…} \n\n` per message (the space is Argo's), and
//    a `:` comment line every keepalive interval so proxies and clients see a live connection;
//  - otherwise grpc-gateway's NDJSON, `{"result":…}\n` per message, without keepalives (JSON
//    lines have no comment syntax).
// Headers go out at once, before the first message: the UI's EventSource treats that as "connected".
import type { FastifyReply, FastifyRequest } from 'fastify';
import { streamError } from './errors.js';

export interface StreamOptions {
  /** Keepalive interval for SSE; Argo's is 15 s. */
  keepaliveMs: number;
}

export interface MessageStream {
  /** Sends `{"result": message}`; a no-op once the client is gone. */
  send(message: unknown): void;
  /** Sends `{"error": …}` for a failure after the headers went out, then ends. */
  fail(err: unknown): void;
  end(): void;
  /** Aborted when the client disconnects (or the stream ended): stop producing. */
  readonly signal: AbortSignal;
}

export function isEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((part) => part.trim().split(';')[0] === 'text/event-stream');
}

/** Takes the response over from fastify and opens a stream on it. */
export function openStream(request: FastifyRequest, reply: FastifyReply, opts: StreamOptions, project: (message: unknown) => unknown = (m) => m): MessageStream {
  const sse = isEventStream(request);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': sse ? 'text/event-stream' : 'application/json',
    'Transfer-Encoding': 'chunked',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.flushHeaders();

  const done = new AbortController();
  const keepalive = sse ? setInterval(() => write(':\n'), opts.keepaliveMs) : undefined;
  const finish = (): void => {
    clearInterval(keepalive);
    done.abort();
  };
  res.on('close', finish);
  // A client that left while the request was being prepared will never fire 'close' again.
  if (res.destroyed || res.socket?.destroyed) finish();

  function write(text: string): void {
    if (done.signal.aborted || res.writableEnded) return;
    res.write(text);
  }
  const frame = (message: unknown): string => {
    const json = JSON.stringify(message);
    return sse ? `data: ${json} \n\n` : `${json}\n`;
  };

  return {
    send: (message) => write(frame(project({ result: message }))),
    fail: (err) => {
      write(frame(streamError(err)));
      end();
    },
    end,
    signal: done.signal,
  };

  function end(): void {
    finish();
    if (!res.writableEnded) res.end();
  }
}
