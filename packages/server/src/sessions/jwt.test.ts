import { exportJWK, generateKeyPair, importJWK, jwtVerify, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtSigner, type SigningAlg } from './jwt.js';

async function keyPair(alg: SigningAlg) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  return { priv: await exportJWK(privateKey), pub: await exportJWK(publicKey) };
}

describe('jwtSigner (node:crypto) against jose', () => {
  for (const alg of ['ES256', 'RS256'] as const) {
    it(`${alg}: jose verifies what we sign, with the same header and claims`, async () => {
      const { priv, pub } = await keyPair(alg);
      const signer = jwtSigner(priv, 'ins_test', alg);
      const claims = { sid: 'sess_1', v: 2, azp: 'https://app.example.com', sub: 'user_1', iss: 'https://auth.example.com', iat: 1_900_000_000, nbf: 1_899_999_995, exp: 1_900_000_060 };
      for (let i = 0; i < 20; i++) {
        const jwt = signer.sign(claims);
        const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(pub, alg), { currentDate: new Date(1_900_000_001_000) });
        expect(payload).toEqual(claims);
        expect(protectedHeader).toEqual({ alg, kid: 'ins_test', typ: 'JWT' });
      }
    });
  }

  it('ES256 signatures are raw r‖s (64 bytes), as JWS requires, not DER', async () => {
    const { priv } = await keyPair('ES256');
    const jwt = jwtSigner(priv, 'k', 'ES256').sign({ sub: 'u' });
    expect(Buffer.from(jwt.split('.')[2]!, 'base64url')).toHaveLength(64);
    expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
  });

  it('a token signed by another key, or altered, does not verify', async () => {
    const a = await keyPair('ES256');
    const b = await keyPair('ES256');
    const jwt = jwtSigner(a.priv, 'k', 'ES256').sign({ sub: 'u', exp: 1_900_000_060 });
    const opts = { currentDate: new Date(1_900_000_001_000) };
    await expect(jwtVerify(jwt, await importJWK(b.pub, 'ES256'), opts)).rejects.toThrow();
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: 1_900_000_060 })).toString('base64url')}.${s}`;
    await expect(jwtVerify(forged, await importJWK(a.pub, 'ES256'), opts)).rejects.toThrow();
  });
});
