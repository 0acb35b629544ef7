// The floor for one HTTP request: node:http answering a small JSON body, nothing else.
import http from 'node:http';

const body = JSON.stringify({ ok: true });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`hello running at http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
