import * as assert from 'node:assert/strict';
import { scanText } from '../../../src/core/scanner/engine';

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const found = (text: string, fileName = 'a.ts'): string[] => scanText(text, { fileName }).map((finding) => finding.ruleId);
const jwt = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'svc', iat: 1764547200 })}.Qm3vTz8KcR1pXw7LnY4sHd2uEa6fJo9gBi5kNq0rUt8`;

describe('scanner: formats with public specs', () => {
  for (const [label, text, rule, fileName] of [
    ['a JWT outside any header, with its decoded header as evidence', `EXPIRED_TOKEN = "${jwt}"`, 'jwt', 'a.kt'],
    ['a JWT in prose', `python3 jwt_tool.py ${jwt}`, 'jwt', 'notes.md'],
    ['Basic credentials, decoded', `if (auth !== "Basic ${Buffer.from('yfgnc:dtlgsq').toString('base64')}") {`, 'basic-auth', 'a.go'],
    ['Basic credentials in a YAML list', `  - Basic ${Buffer.from('api:k452a8kxx8u6386').toString('base64')}`, 'basic-auth', 'a.yml'],
    ['an ApiKey Authorization scheme', "headers: { authorization: 'ApiKey Ok3eKrWrmbZq8vL2==' }", 'authorization-token', 'a.js'],
    ['an NTLM authenticate message', "value: 'NTLM TlRMTVNTUAADAAAAGAAYAFYAAAAYABgAbgAAAAAAAABIAAAADgAOAEgAAAAAAAAAVg'", 'ntlm-token', 'a.js'],
    ['a NATS seed near NATS context', '# nats user seed\nSUPXIRP3BFLBMFQUSFIGZJS3NESOMU6OMDKK5Y4DVXNVCCLFCTMQAYQ4FG', 'nkey-seed', 'a.md'],
    ['a private JWK member', "const oct = {\n  k: 'FyCq1CKBflh3I5gikEjpYrdOXllzxB_yc02za8ERknI',\n  kty: 'oct',\n};", 'jwk-private-key', 'a.mjs'],
    ['an otpauth secret', "expect(uri).to eq 'otpauth://totp/alice%40example.org?secret=NIEMI4XCGLKA4SME&issuer=X'", 'otp-secret', 'a.rb'],
    ['a TOTP constructor secret', "otp = ROTP::TOTP.new('NNWYE5KOZZJU7FAR', digits: 8)", 'otp-secret', 'a.rb'],
  ] as const) {
    it(`finds ${label}`, () => assert.deepEqual(found(text, fileName), [rule]));
  }

  it('says what a JWT header and a Basic pair decode to, never the secret', () => {
    const [token] = scanText(`t = "${jwt}"`, { fileName: 'a.py' });
    assert.equal(token?.evidence, 'JWT header {"alg":"RS256","kid":"k1"}');
    const [basic] = scanText(`h = "Basic ${Buffer.from('svc:Hq7vLm2xKp').toString('base64')}"`, { fileName: 'a.py' });
    assert.equal(basic?.evidence, 'Authorization Basic, decodes to user:password');
  });

  for (const [label, text, fileName] of [
    ['an unsigned JWT (alg none)', `t = "${b64url({ alg: 'none' })}.${b64url({ sub: 'guest' })}."`, 'a.py'],
    [
      'the jwt.io sample',
      `t = "${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"`,
      'a.py',
    ],
    ['three base64url segments that are no JWT', 't = "eyJub3QganNvbg.eyJzdWIiOiJ4In0.abc"', 'a.py'],
    ['Basic of a placeholder pair', `h = "Basic ${Buffer.from('user:password').toString('base64')}"`, 'a.py'],
    ['Basic of no pair', `h = "Basic ${Buffer.from('just-a-token-value').toString('base64')}"`, 'a.py'],
    ['prose about Basic authentication', 'Use basic authentication with a user name and password.', 'a.md'],
    ['a public NATS nkey', '{ nkey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4 }', 'server.conf'],
    ['a public JWK', "{ kty: 'EC', crv: 'P-256', x: 'DUdU_3_7L2d8fth4Q_cLyhZt5V1_4IwnlIlSmq_7BwE', y: '_NuwZWGr-wVgiHA66W7gc4gB7M_iAzsld4w21yUlGqE' }", 'a.js'],
    ['an otpauth URI with a placeholder', "'otpauth://totp/x?secret=YOUR_SECRET&issuer=X'", 'a.rb'],
  ] as const) {
    it(`does not flag ${label}`, () => assert.deepEqual(found(text, fileName), []));
  }
});
