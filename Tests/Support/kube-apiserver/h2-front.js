// An HTTP/2-only TLS front for server.py, so tests can prove the client negotiates h2 by ALPN
// when a server offers it (server.py itself speaks HTTP/1.1 only).
//
//   node h2-front.js OUTDIR UPSTREAM_PORT
//
// It uses the PKI server.py wrote into OUTDIR: the same server certificate, and a client
// certificate signed by ca.pem is required, as on the real server. Every stream is forwarded
// to server.py over HTTP/1.1 as user "admin" (the original Authorization and User-Agent
// headers are passed on). Prints `READY <port>`; exits when stdin reaches EOF.
// `GET /__h2/stats` answers {"sessions": N, "streams": N, "alpn": [...]} for connection-reuse checks.
'use strict';
const http2 = require('http2');
const https = require('https');
const fs = require('fs');
const path = require('path');

const [outdir, upstreamPort] = process.argv.slice(2);
if (!outdir || !upstreamPort) {
  console.error('usage: node h2-front.js OUTDIR UPSTREAM_PORT');
  process.exit(2);
}
const read = (name) => fs.readFileSync(path.join(outdir, name));
const upstream = new https.Agent({
  keepAlive: true, ca: read('ca.pem'), cert: read('admin.crt'), key: read('admin.key'), servername: 'localhost',
});
const stats = { sessions: 0, streams: 0, alpn: [] };
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

const server = http2.createSecureServer({
  key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'),
  requestCert: true, rejectUnauthorized: true, allowHTTP1: false,
});
server.on('session', (session) => {
  stats.sessions += 1;
  stats.alpn.push(session.alpnProtocol);
});
server.on('stream', (stream, headers) => {
  const target = headers[':path'];
  if (target === '/__h2/stats') {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify(stats));
    return;
  }
  stats.streams += 1;
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    const forwarded = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') && !hopByHop.has(name)) forwarded[name] = value;
    }
    forwarded['content-length'] = String(body.length);
    const request = https.request({
      host: '127.0.0.1', port: Number(upstreamPort), method: headers[':method'], path: target,
      headers: forwarded, agent: upstream,
    }, (response) => {
      const answer = { ':status': response.statusCode };
      for (const [name, value] of Object.entries(response.headers)) {
        if (!hopByHop.has(name)) answer[name] = value;
      }
      stream.respond(answer);
      response.pipe(stream);
    });
    request.on('error', (error) => {
      if (!stream.headersSent) stream.respond({ ':status': 502, 'content-type': 'text/plain' });
      stream.end(`upstream failed: ${error.message}`);
    });
    request.end(body);
  });
  stream.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
