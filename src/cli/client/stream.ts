// Argo Server's two streaming framings, read by one parser because which one arrives depends on
// the server (and on proxies that drop the Accept header):
//  - SSE: `data: {"result":…} \n\n` per message, `:` keepalive comments, multi-line data joined by \n;
//  - grpc-gateway NDJSON: `{"result":…}\n` per message.
// A message is `{"result": X}` or `{"error": {grpc_code, http_code, message, http_status}}`.
// Bad JSON is skipped rather than fatal: one corrupt frame must not end a long `watch`.

export type StreamMessage = { kind: 'result'; value: unknown } | { kind: 'error'; error: StreamErrorBody };

export interface StreamErrorBody {
  grpc_code?: number;
  http_code?: number;
  message?: string;
  http_status?: string;
}

export class StreamParser {
  private buffer = '';
  private data: string[] = [];
  private pendingCr = false;
  /** Frames that were not JSON, for diagnostics. */
  skipped = 0;

  /** Feeds decoded text; returns the messages it completed. */
  push(text: string): StreamMessage[] {
    const out: StreamMessage[] = [];
    let chunk = text;
    // A CRLF split across chunks: the CR ended the line already, so drop the LF.
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      if (m[0] === '\r' && m.index === this.buffer.length - 1) {
        this.pendingCr = true;
      }
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  /** The stream ended: a last message without its blank line or newline still counts. */
  end(): StreamMessage[] {
    const out: StreamMessage[] = [];
    if (this.buffer !== '') this.line(this.buffer, out);
    this.buffer = '';
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: StreamMessage[]): void {
    if (line.trim() === '') {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(':')) return; // keepalive comment
    if (line.startsWith('{')) {
      // NDJSON; also ends any SSE data in progress, which a well-formed stream never leaves.
      this.dispatch(out);
      this.message(line, out);
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    // `event:`, `id:` and `retry:` carry nothing Argo uses.
  }

  private dispatch(out: StreamMessage[]): void {
    if (this.data.length === 0) return;
    const text = this.data.join('\n');
    this.data = [];
    this.message(text, out);
  }

  private message(text: string, out: StreamMessage[]): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.skipped++;
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.skipped++;
      return;
    }
    const record = parsed as Record<string, unknown>;
    if (record['error'] && typeof record['error'] === 'object') out.push({ kind: 'error', error: record['error'] as StreamErrorBody });
    else if ('result' in record) out.push({ kind: 'result', value: record['result'] });
    // A bare object: a server that does not wrap its messages.
    else out.push({ kind: 'result', value: record });
  }
}

/** The messages of a response body, as they complete. */
export async function* readStream(body: AsyncIterable<Uint8Array>, onChunk?: () => void): AsyncGenerator<StreamMessage> {
  const decoder = new TextDecoder();
  const parser = new StreamParser();
  for await (const chunk of body) {
    onChunk?.();
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
