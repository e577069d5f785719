// The load balancer `scripts/start.sh --replicas N` puts in front of its backend replicas, on the
// backend's usual port (development only; in production this is your load balancer or Kubernetes
// service). Round robin; a replica that refuses the connection is skipped for 5 s and the request
// goes to the next one, so killing a replica shows the others taking over.
import http from 'node:http';

export function startBalancer({ port, targets, log }) {
  const downUntil = new Map();
  let next = 0;

  const pick = tried => {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(next + i) % targets.length];
      if (tried.has(target) || (downUntil.get(target) ?? 0) > Date.now())
        continue;
      next = (next + i + 1) % targets.length;
      return target;
    }
    return targets.find(t => !tried.has(t));
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const tried = new Set();
      const forward = () => {
        const target = pick(tried);
        if (target === undefined) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('No backend replica answers\n');
          return;
        }
        tried.add(target);
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: target,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          answer => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', error => {
          if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') {
            if (!downUntil.has(target) || downUntil.get(target) < Date.now()) {
              log(
                `replica on :${target} does not answer (${error.code}); trying the others`,
              );
            }
            downUntil.set(target, Date.now() + 5000);
            if (!res.headersSent) {
              forward();
              return;
            }
          }
          res.destroy(error);
        });
        upstream.end(body);
      };
      forward();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
