// A Server-Sent Events parser (the WHATWG "event stream interpretation"), fed decoded text in
// chunks of any size: lines end in CRLF, LF or CR; `:` starts a comment; `data` lines join with
// LF; an empty `data` dispatches nothing; the last event id carries over to later events.

/** One dispatched event. */
export interface SseMessage {
  /** The last event id in effect when it was dispatched (`undefined` when none was ever set). */
  id: string | undefined;
  /** The `event:` field; `message` when absent. */
  event: string;
  data: string;
}

/** Incremental parser: `push` text, receive whole events. */
export class SseParser {
  private buffer = '';
  private skipLeadingLineFeed = false;
  private data: string[] = [];
  private eventType = '';
  private lastEventId: string | undefined;
  /** The last valid `retry:` value, in ms. */
  retryMs: number | undefined;

  /** Parses `chunk` and returns the events it completed. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.skipLeadingLineFeed && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingLineFeed = false;
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (end + 1 < this.buffer.length) {
          if (this.buffer[end + 1] === '\n') next = end + 2;
        } else {
          // A CR at the end of the chunk: its LF may open the next chunk.
          this.skipLeadingLineFeed = true;
        }
      }
      this.buffer = this.buffer.slice(next);
      const message = this.line(line);
      if (message !== undefined) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.eventType === '' ? 'message' : this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return undefined;
    return { id: this.lastEventId, event, data: data.join('\n') };
  }
}
