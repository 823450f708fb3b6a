import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { isInvokeRequest } from './invoke-endpoint.ts';

/**
 * One port for S3 and Lambda's Invoke API, routed by path the way LocalStack's edge port routes, so a single
 * `AWS_ENDPOINT_URL` serves both SDK clients. S3 requests are proxied byte for byte (headers included, so SigV4
 * signatures still verify).
 */
export function edgeHandler(
  invoke: (req: IncomingMessage, res: ServerResponse) => void,
  s3Endpoint: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const s3 = new URL(s3Endpoint);
  return (req, res) => {
    if (isInvokeRequest(req.url)) return invoke(req, res);
    const upstream = request(
      { hostname: s3.hostname, port: s3.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`edge: S3 upstream failed: ${error.message}`);
    });
    req.pipe(upstream);
  };
}
