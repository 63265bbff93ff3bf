import * as assert from 'node:assert/strict';
import {
  base62,
  crc32,
  hasBase62Crc32,
  hasBech32Checksum,
  hasDiscordUserId,
  hasGitlabRoutableCrc,
  isSignedJwt,
  isSupabaseServiceRoleJwt,
} from '../../../src/core/scanner/checksums';
import { sample, seeded } from './formatSamples';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('checksums', () => {
  it('crc32 is zlib CRC-32 (the standard check value of "123456789")', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(crc32(''), 0);
  });

  it('base62 pads to the width and uses digits, upper, lower', () => {
    assert.equal(base62(0, 6), '000000');
    assert.equal(base62(61, 2), '0z');
    assert.equal(base62(62, 1), '10');
    assert.equal(base62(0xffffffff, 6), '4gfFC3');
  });

  it('GitHub and npm: the last 6 characters are the base62 CRC-32 of the 30 before them', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const token = sample('ghp_{A30}{b62crc}', seeded(seed));
      assert.ok(hasBase62Crc32(token, 4), token);
      assert.ok(!hasBase62Crc32(token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11), 4));
      assert.ok(!hasBase62Crc32(token.slice(0, -1), 4));
    }
  });

  it('GitLab routable tokens: a CRC-32 in base36 of everything before it; legacy tokens have none to check', () => {
    const token = sample('glpat-{glpayload}{glcrc}', seeded(3));
    assert.ok(hasGitlabRoutableCrc(token));
    assert.ok(!hasGitlabRoutableCrc(token.replace(/^glpat-./, 'glpat-_')));
    assert.ok(hasGitlabRoutableCrc('glpat-abcdefghij0123456789'));
  });

  it('JWTs: the header decodes to JSON naming a signing algorithm; alg none is refused', () => {
    const signed = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ sub: 'x' })}.c2ln`;
    assert.ok(isSignedJwt(signed));
    assert.ok(isSignedJwt(`prefix_${signed}`));
    assert.ok(!isSignedJwt(`${b64url({ alg: 'none' })}.${b64url({ sub: 'x' })}.`));
    assert.ok(!isSignedJwt(`${b64url({ typ: 'JWT' })}.${b64url({ sub: 'x' })}.c2ln`));
    assert.ok(!isSignedJwt('eyJub3QganNvbg.eyJ4IjoxfQ.c2ln'));
  });

  it('Supabase service_role keys: a signed JWT whose role claim is service_role, not the public anon key', () => {
    const key = (role: string): string => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: 'supabase', role })}.c2lnbmF0dXJl`;
    assert.ok(isSupabaseServiceRoleJwt(key('service_role')));
    assert.ok(!isSupabaseServiceRoleJwt(key('anon')));
  });

  it('Discord bot tokens start with the base64 of a user id', () => {
    assert.ok(hasDiscordUserId(`${Buffer.from('123456789012345678').toString('base64url')}.abcdef.xyz`));
    assert.ok(!hasDiscordUserId(`${Buffer.from('12345678901234567x').toString('base64url')}.abcdef.xyz`));
  });

  it('Bech32 (BIP 173 test vectors, and age identities)', () => {
    assert.ok(hasBech32Checksum('A12UEL5L'));
    assert.ok(hasBech32Checksum('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw'));
    assert.ok(!hasBech32Checksum('A12UEL5M'));
    const age = sample('{agekey}', seeded(5));
    assert.ok(hasBech32Checksum(age));
    assert.ok(!hasBech32Checksum(age.slice(0, -1) + (age.endsWith('Q') ? 'P' : 'Q')));
  });
});
