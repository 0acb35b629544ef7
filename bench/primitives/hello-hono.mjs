// One HTTP request through the framework Latchkey uses: Hono on @hono/node-server, a JSON answer.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/', (c) => c.json({ ok: true }));
app.get('/', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`hello running at http://127.0.0.1:${info.port}`));
process.on('SIGTERM', () => process.exit(0));
