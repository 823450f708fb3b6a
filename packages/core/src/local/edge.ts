import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { isInvokeRequest } from './invoke-endpoint.ts';

/**
 * One port for S3 and Lambda's Invoke API, routed by path the way LocalStack's edge port routes, so a single
 * `AWS_ENDPOINT_URL` serves both SDK clients. Requests are proxied byte for byte (headers included, so SigV4
 * signatures still verify) to the S3 server or the Lambda service.
 */
export function edgeHandler(endpoints: {
  s3: string;
  lambda: string;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const s3 = new URL(endpoints.s3);
  const lambda = new URL(endpoints.lambda);
  return (req, res) => {
    const target = isInvokeRequest(req.url) ? lambda : s3;
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`edge: upstream ${target.host} failed: ${error.message}`);
    });
    req.pipe(upstream);
  };
}
