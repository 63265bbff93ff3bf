import * as assert from 'node:assert/strict';
import { readName, wordsOf } from '../../../src/core/scanner/names';
import { scanText } from '../../../src/core/scanner/engine';

describe('scanner: names read as words', () => {
  it('splits names at separators, case changes and digits', () => {
    assert.deepEqual(wordsOf('MYSQL_ROOT_PASSWORD'), ['mysql', 'root', 'password']);
    assert.deepEqual(wordsOf('SQLRootPassword2'), ['sql', 'root', 'password', '2']);
    assert.deepEqual(wordsOf('o.Websocket.Password'), ['o', 'websocket', 'password']);
  });

  for (const [name, meaning] of [
    ['password', 'password'],
    ['db_pass', 'password'],
    ['dbPass', 'password'],
    ['PGPASSWORD', 'password'],
    ['password1', 'password'],
    ['password_confirmation', 'password'],
    ['wls_pw', 'password'],
    ['passphrase', 'password'],
    ['apiKey', 'key'],
    ['X-API-Key', 'key'],
    ['consumer_secret', 'key'],
    ['private_token', 'key'],
    ['refresh_token', 'key'],
    ['nkey', 'key'],
    ['cookieValidationKey', 'key'],
    ['STRIPE_KEY', 'key-like'],
    ['token', 'key-like'],
  ] as const) {
    it(`reads ${name} as ${meaning}`, () => assert.equal(readName(name)?.meaning, meaning));
  }

  // Traps: labels, messages, rules, derivatives, pointers, public and encrypted values, other kinds of pass and token.
  for (const name of [
    'LABEL_PASSWORD',
    'SHOW_PWD_TOOLTIP',
    'FORGOT_PASSWORD',
    'PASSWORDS_NOT_MATCHING',
    'password_min_length',
    'password_hash',
    'passwordFile',
    'api_key_id',
    'token_url',
    'secretKeyRef',
    'public_key',
    'publishableKey',
    'encrypted_key',
    'output_token',
    'nextPageToken',
    'result_key',
    'bypass',
    'NOPASSWD',
    'allPass',
    'passcode',
  ]) {
    it(`reads ${name} as no secret`, () => assert.equal(readName(name), undefined));
  }
});

describe('scanner: passwords', () => {
  const found = (text: string, fileName = 'a.ts'): string[] => scanText(text, { fileName }).map((finding) => finding.ruleId);

  for (const [label, text, fileName] of [
    ['a short letters-only password in code', 'const password = "mbyxagzms";', 'a.ts'],
    ['a Go struct field', 'Password:   "riuridr7",', 'a.go'],
    ['a Python dict entry', "cfg = {'Password': 'mevrsk'}", 'a.py'],
    ['an unquoted YAML value', 'POSTGRES_PASSWORD: ogkwb', 'docker-compose.yml'],
    ['a .env value', 'DB_PASS=Xk2pLm9q', '.env'],
    ['a properties value', 'spring.datasource.password=u0G47KcXHg4Rs2a5', 'application.properties'],
    ['a password with symbols', "password: '8J6kSbpc$*0DPZT§69-!Ij7D9s&7pU'", 'a.yml'],
  ] as const) {
    it(`finds ${label}`, () => assert.deepEqual(found(text, fileName), ['password']));
  }

  for (const [label, text, fileName] of [
    ['an i18n label', '"LABEL_PASSWORD": "Passwort",', 'de.json'],
    ['a translated message', '"PASSWORD_SUCCESSFULLY_CHANGED": "Din adgangskode blev ændret.",', 'da.json'],
    ['a placeholder', 'password: "<your password>"', 'a.yml'],
    ['a stop word', 'password = "your_password"', 'a.py'],
    ['a bracketed slot', '{"auth_pass":"[FUZZ]"}', 'a.json'],
    ['a reference', 'password: ${DB_PASSWORD}', 'a.yml'],
    ['a format string', 'password = "%s"', 'a.py'],
    ['a trivial test value', 'o.Websocket.Password = "pwd"', 'a.go'],
    ['a trivial word with digits', "'password': 'test1'", 'a.py'],
    ['a user name repeated', 'users: [ { user: auth, password: auth } ]', 'a.conf'],
    ['a bcrypt hash', "hashed: '$2b$12$Kix6Gq3lQn0Zb1c5Yw8xUe9F0aH7mT2pR4sV6uW8yA0bC2dE4fG6'", 'a.yml'],
    ['a bcrypt hash under a password name', "password: '$2b$12$Kix6Gq3lQn0Zb1c5Yw8xUe9F0aH7mT2pR4sV6uW8yA0bC2dE4fG6'", 'a.yml'],
    ['a sops value', 'password: ENC[AES256_GCM,data:Tr6Kq==,iv:abc,tag:def,type:str]', 'secrets.yaml'],
    ['an ansible-vault value', 'password: $ANSIBLE_VAULT;1.1;AES256', 'vars.yml'],
    ['a dotted config key', 'password := config.Get("postgres.password")', 'a.md'],
    ['prose about the keyword', 'DOMAIN_PASSWORD= WebLogic admin username for the new domain', 'notes.md'],
    ['a sequence', 'password: "123456"', 'a.yml'],
  ] as const) {
    it(`does not flag ${label}`, () => assert.deepEqual(found(text, fileName), []));
  }

  it('says which name made it a finding', () => {
    const [finding] = scanText('MYSQL_ROOT_PASSWORD=oaioxvkjqo', { fileName: '.env' });
    assert.equal(finding?.evidence, 'name MYSQL_ROOT_PASSWORD (password)');
  });
});

describe('scanner: names that only ever hold a key', () => {
  const found = (text: string, fileName = 'a.ts'): string[] => scanText(text, { fileName }).map((finding) => finding.ruleId);

  for (const [label, text, fileName] of [
    ['a UUID', 'const apiKey = "8b2f6f3e-5c1d-4a7b-9e0f-2d4c6a8b0e1f";', 'a.ts'],
    ['a hex key', "'consumer_key' => '8399E1C84F6CC31413BA5C32F9327CCE',", 'a.php'],
    ['lowercase letters', 'ALICLOUD_ACCESS_KEY=tncsiqfbxjxfsacxqwxaktxr', '.env'],
    ['a long number', 'OVH_APPLICATION_KEY=1687513530026783', '.env'],
  ] as const) {
    it(`finds ${label}`, () => assert.deepEqual(found(text, fileName), ['named-api-key']));
  }

  for (const [label, text, fileName] of [
    ['a UUID under an id-like name', 'const apiKeyId = "8b2f6f3e-5c1d-4a7b-9e0f-2d4c6a8b0e1f";', 'a.ts'],
    ['a typed-in sequence', '"CLOUDFLARE_DNS_API_TOKEN": "012345abcdef",', 'a.json'],
    ['an identifier', 'apiKey: "ProgressUpdateStreamSummaryList"', 'a.yml'],
    ['a JMESPath expression', '"output_token": "Jobs[-1].JobId",', 'a.json'],
    ['a value in a documentation example file', '"ClientSecret": "13ka4h7u28d9oo44tqpq9djqsfvhvu8rk4d2ighvpu0k8fj1c2r9"', 'cognito-idp.examples.json'],
  ] as const) {
    it(`does not flag ${label}`, () => assert.deepEqual(found(text, fileName), []));
  }
});
