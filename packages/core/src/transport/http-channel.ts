import { FanoutError } from '../errors/index.ts';
import { packFrames, unpackFrames } from './frame.ts';
import type { FrameChannel } from './remote-invoker.ts';

/** The path hop functions answer on when served over HTTP. */
export const HOP_HTTP_PATH = '/v1/hop';

export interface HttpChannelOptions {
  /** Base URL of the hop server(s); `urlFor` routes by partition when there are several. */
  urlFor: (part: number) => string;
  /** Sent as a bearer token when set. */
  token?: string;
  /** Largest response accepted (default 256 MiB: HTTP itself has no payload limit). */
  maxResponseBytes?: number;
}

/** Hop requests as HTTP POSTs of packed binary frames: hop functions run as long-lived containers. */
export class HttpChannel implements FrameChannel {
  readonly name = 'http';
  /** The hop server's default body limit. */
  readonly maxRequestBytes = 64 * 2 ** 20;
  readonly maxResponseBytes: number;

  constructor(private readonly options: HttpChannelOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? 256 * 2 ** 20;
  }

  destination(part: number): string {
    return this.options.urlFor(part);
  }

  async send(base: string, frames: ArrayBuffer[], signal: AbortSignal): Promise<ArrayBuffer[]> {
    const url = `${base.replace(/\/+$/, '')}${HOP_HTTP_PATH}`;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body: packFrames(frames), headers, signal });
    } catch (error) {
      throw new FanoutError('TRANSPORT_ERROR', `POST ${url}: ${(error as Error).message}`, { cause: error });
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.startsWith('application/octet-stream')) {
      // Not the hop server answering (a proxy, a load balancer): only its 5xx and 429 are worth another try.
      const text = (await response.text()).slice(0, 300);
      throw new FanoutError('TRANSPORT_ERROR', `POST ${url}: HTTP ${response.status}: ${text}`, {
        retryable: response.status >= 500 || response.status === 429,
      });
    }
    // Typed errors come back as error frames whatever the status, and decodeResponse re-raises them.
    const body = await response.arrayBuffer();
    try {
      return unpackFrames(body);
    } catch {
      throw new FanoutError('TRANSPORT_ERROR', `POST ${url}: the answer is not packed frames`, { retryable: false });
    }
  }
}
