// The app's own server: the built page, and an API that checks Latchkey session tokens offline.
import express from 'express';
import { createTokenVerifier, nodeAuth } from '@latchkey/backend';

const latchkeyUrl = process.env.LATCHKEY_URL;
const verify = createTokenVerifier({ jwksUrl: `${latchkeyUrl}/.well-known/jwks.json`, issuer: latchkeyUrl });

const app = express();
app.get('/api/me', nodeAuth(verify, { required: true }), (req, res) => {
  res.json({ userId: req.auth.claims.sub });
});
app.use(express.static('dist'));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`App listening on http://localhost:${server.address().port}`);
});
