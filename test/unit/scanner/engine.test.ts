import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentScanner } from '../../../src/core/scanner/documentScanner';
import { scanText, SecretScanner } from '../../../src/core/scanner/engine';
import { fingerprintOf, legacyFingerprintOf } from '../../../src/core/scanner/fingerprint';
import { BUILT_IN_PROVIDERS } from '../../../src/core/providers/builtIn';
import { VENDOR_FORMATS } from '../../../src/core/scanner/catalogue';
import { buildRules, mayBecomeVendorKey, RULES, STORED_KEY_RULE } from '../../../src/core/scanner/rules';
import { parseIgnoreFile } from '../../../src/core/scanner/suppression';
import { validateRule } from '../../../src/core/scanner/compile';
import type { PatternRule } from '../../../src/core/scanner/types';

const CORPUS = path.join(__dirname, '../../../../test/fixtures/corpus');

interface Labels {
  readonly files: Record<string, { line: number; ruleId: string }[]>;
}

function found(text: string, fileName = 'app.js'): string[] {
  return scanText(text, { fileName }).map((finding) => finding.ruleId);
}

/** Each finding as `ruleId secret`: what was reported and exactly which characters. */
function secrets(text: string, fileName: string): string[] {
  return scanText(text, { fileName }).map((finding) => `${finding.ruleId} ${text.split('\n')[finding.line]?.slice(finding.column, finding.endColumn)}`);
}

describe('scanner: labelled corpus', () => {
  const labels = JSON.parse(fs.readFileSync(path.join(CORPUS, 'labels.json'), 'utf8')) as Labels;
  for (const [file, expected] of Object.entries(labels.files)) {
    it(`finds exactly the labelled keys in ${file}`, () => {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const actual = scanText(text, { fileName: file }).map((finding) => `${finding.line + 1} ${finding.ruleId}`);
      assert.deepEqual(
        actual,
        expected.map((item) => `${item.line} ${item.ruleId}`),
      );
    });
  }

  it('covers every rule (the vendor catalogue has generated cases of its own) and at least 12 kinds of file', () => {
    const labelled = new Set(Object.values(labels.files).flatMap((items) => items.map((item) => item.ruleId)));
    const catalogued = new Set(VENDOR_FORMATS.map((format) => format.id));
    assert.deepEqual(
      RULES.map((rule) => rule.id).filter((id) => !labelled.has(id) && !catalogued.has(id)),
      [],
    );
    assert.ok(new Set(Object.keys(labels.files).map((file) => path.extname(file) || path.basename(file))).size >= 12);
  });
});

describe('scanner: rules', () => {
  it('reports 0-based positions of the secret only, masked', () => {
    const [finding] = scanText('\n  const apiKey = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";', { fileName: 'a.ts' });
    assert.equal(finding?.fingerprint.value, fingerprintOf('Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', 'named-api-key'));
    assert.deepEqual(
      { ...finding, message: undefined, fingerprint: undefined },
      {
        line: 1,
        column: 18,
        endLine: 1,
        endColumn: 46,
        ruleId: 'named-api-key',
        severity: 'error',
        message: undefined,
        variable: 'API_KEY',
        preview: '****hJ6k',
        fingerprint: undefined,
        evidence: 'name apiKey (api key)',
      },
    );
  });

  it('says in every finding to read the key at run time, naming the variable the quick fix reads it from', () => {
    const found = (text: string, fileName = 'a.ts') => scanText(text, { fileName }).map(({ ruleId, message, variable }) => ({ ruleId, message, variable }));
    const advice = (variable: string) => ` Read it from the environment variable ${variable} or a secret manager at run time.`;
    assert.deepEqual(found('const paymentsToken = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";'), [
      { ruleId: 'generic-secret', message: `A secret looks hardcoded in paymentsToken.${advice('PAYMENTS_TOKEN')}`, variable: 'PAYMENTS_TOKEN' },
    ]);
    // A vague name says nothing: the vendor's or provider's variable does.
    const stripe = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dcVx'].join('_');
    assert.equal(found(`const paymentsKey = "${stripe}";`)[0]?.variable, 'STRIPE_SECRET_KEY', "the provider's documented variable wins over the name");
    assert.equal(found(`const token = "${stripe}";`)[0]?.message, `A Stripe secret or restricted key is hardcoded here.${advice('STRIPE_SECRET_KEY')}`);
    // A header only Scaleflex uses is Scaleflex's, wherever it is sent from; one that several use (X-API-Key) names no provider.
    assert.equal(found("fetch(url, { headers: { 'X-Filerobot-Key': 'Qm7vN2pL9xK4mW8rT5yH3' } });")[0]?.variable, 'SCALEFLEX_API_KEY');
    assert.equal(found("fetch(url, { headers: { 'X-API-Key': 'Qm7vN2pL9xK4mW8rT5yH3' } });")[0]?.variable, 'X_API_KEY');
    assert.equal(found('NEXT_PUBLIC_MAPS_KEY=Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', '.env')[0]?.variable, 'MAPS_KEY', 'never a public variable again');
    assert.equal(found('token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k"', 'a.py')[0]?.variable, 'TOKEN');
  });

  it('tells a value that may still grow into a vendor key from one that cannot', () => {
    const prefix = ['ghp', 'Zq8vL2mN4pR7tX1y'].join('_');
    assert.equal(mayBecomeVendorKey('generic-secret', prefix), true, 'a GitHub token shorter than one');
    assert.equal(mayBecomeVendorKey('generic-secret', prefix.padEnd(100, 'Zq8vL2')), false, 'longer than any GitHub token');
    assert.equal(mayBecomeVendorKey('generic-secret', 'Zq8vL2mN4pR7tX1yB5cD'), false, 'no vendor starts so');
    assert.equal(mayBecomeVendorKey('github-token', prefix), false, "a vendor rule's own finding is never held");
  });

  it('keeps the advice in one place: no rule says it, or names SecretStorage, which programs cannot read', () => {
    for (const rule of [...RULES, STORED_KEY_RULE]) {
      assert.doesNotMatch(rule.message, /read it|load it|SecretStorage|secret (?:store|manager)/i, rule.id);
      assert.match(rule.message, /\.$/, `${rule.id}: one sentence, the advice follows`);
    }
  });

  it('names the variable that ships a key to browsers', () => {
    const [finding] = scanText('NEXT_PUBLIC_TURNPIKE_API_KEY=tp_9fKq2Lm7Pz3Rt8Vw1Xy5Bc', { fileName: '.env.local' });
    assert.equal(finding?.ruleId, 'public-env-key');
    assert.match(finding?.message ?? '', /^NEXT_PUBLIC_TURNPIKE_API_KEY is compiled into the browser bundle/);
  });

  it('names the provider of a documented variable and every provider of a header', () => {
    assert.match(scanText('UPPZY_API_KEY=uk_7Gq2Lm9Pz4Rt8Vw1Xy5Bc3D', { fileName: '.env' })[0]?.message ?? '', /Uppzy M2M API/);
    assert.match(
      scanText("h = {'X-API-Key': 'k7Gq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh'}", { fileName: 'a.py' })[0]?.message ?? '',
      /X-API-Key header \(Sales Layer, Uppzy M2M API\)/,
    );
  });

  it('holds as many custom providers as a user defines, each found under its own rule', () => {
    const [template] = BUILT_IN_PROVIDERS;
    assert.ok(template);
    const custom = Array.from({ length: 60 }, (_, i) => ({
      ...template,
      id: `acme${i}`,
      displayName: `Acme ${i}`,
      envVars: [`ACME${i}_API_KEY`],
      auth: { in: 'header' as const, name: `X-Acme${i}-Key` },
    }));
    const scanner = new SecretScanner({ rules: buildRules([...BUILT_IN_PROVIDERS, ...custom]) });
    const findings = scanner.scanText(
      'ACME59_API_KEY=k7Gq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh\ncurl -H "X-Acme42-Key: Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k" https://api.acme.test',
      { fileName: 'run.sh' },
    );
    assert.deepEqual(
      findings.map((finding) => finding.ruleId),
      ['acme59-key', 'x-acme42-key-header'],
    );
  });

  it('takes unquoted values only where a bare value is a literal', () => {
    assert.deepEqual(found('API_TOKEN = someFunction2024Result', 'a.py'), []);
    assert.deepEqual(found('API_TOKEN = Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', 'settings.ini'), ['named-api-key']);
  });

  for (const [label, line] of [
    ['an environment reference', 'const apiKey = process.env.API_KEY;'],
    ['a template', 'const apiKey = `${prefix}Zq8vL2mN4pR7tX1yB5cD9`;'],
    ['a mustache variable', '"X-API-Key": "{{apiKey}}"'],
    ['a shell variable', 'curl -H "X-API-Key: $UPPZY_API_KEY"'],
    ['os.getenv', "api_key = os.getenv('UPPZY_API_KEY')"],
    ['a placeholder', "apiKey: 'your_api_key_here'"],
    ['a filler', "token: 'xxxxxxxxxxxxxxxxxxxx'"],
    ['a masked value', "password: '****************'"],
    ['REPLACE_ME', "secret = 'REPLACE_ME'"],
    ['a header name alone', "const header = 'X-API-Key';"],
    ['a UUID', "token: '550e8400-e29b-41d4-a716-446655440000'"],
    ['an identifier', "apiKey: 'userSettingsApiKey'"],
    ['an i18n key', "password: 'auth.password.label'"],
    ['prose', "token: 'The token you received by email'"],
    ['a colour', "tokenColor: '#ff00aa'"],
    ['a version', "apiKey: '2.4.1'"],
    ['an SRI hash', `integrity: 'sha512-${'Ab3d'.repeat(20)}'`],
    ['a pagination cursor', "nextPageToken: 'CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA3'"],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(found(line as string), []));
  }
});

describe('scanner: connection strings', () => {
  for (const [label, fileName, text, secret] of [
    ['ADO.NET Password=', 'Db.cs', 'new SqlConnection("Server=db;Database=orders;User Id=sa;Password=Vq7!rT2mZp9#Lx;Encrypt=True;");', 'Vq7!rT2mZp9#Lx'],
    ['ODBC Pwd= in braces, with a ; inside', 'Db.cs', 'new OdbcConnection("Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd={Hn4;kW8=pQ2z};");', 'Hn4;kW8=pQ2z'],
    ['a single-quoted value after "; "', 'Db.cs', `new OracleConnection("Data Source=ORCL;User Id=app; Password='Bx9@fL3q;Tz6w';");`, 'Bx9@fL3q;Tz6w'],
    ['an escaped double-quoted value in JSON', 'appsettings.json', '{"Reports": "Host=pg;Username=reader;Password=\\"Gt5^mX9cLw3e\\";"}', 'Gt5^mX9cLw3e'],
    ['Password= first in the string', 'Db.cs', 'new SqlConnection("Password=Mk2$wQ9vRt7z;User ID=svc;Data Source=db02");', 'Mk2$wQ9vRt7z'],
    [
      'JDBC SQL Server ;password=',
      'Repo.java',
      'String url = "jdbc:sqlserver://db:1433;databaseName=o;user=sa;password=Ny4&Wq8sLe2v;encrypt=true";',
      'Ny4&Wq8sLe2v',
    ],
    [
      'JDBC MySQL &password= up to the next parameter',
      'Repo.java',
      'String url = "jdbc:mysql://db:3306/o?user=app&password=Pd7#Kx3mVr9t&useSSL=true";',
      'Pd7#Kx3mVr9t',
    ],
    [
      '&amp;password= in XML',
      'web.config',
      '<add name="Wh" connectionString="jdbc:mysql://wh/stock?user=stock&amp;password=Ud3!kZ7rHm5x&amp;useSSL=true" />',
      'Ud3!kZ7rHm5x',
    ],
    [
      'a JDBC URL in .properties, before the generic rule',
      'jdbc.properties',
      'orders.url=jdbc:sqlserver://db;user=orders;password=Ws5@Lg8qTc3n',
      'Ws5@Lg8qTc3n',
    ],
  ]) {
    it(`finds the password of ${label}`, () => assert.deepEqual(secrets(text as string, fileName as string), [`connection-string-password ${secret}`]));
  }

  for (const [label, text] of [
    ['an empty password', 'Server=db;User Id=sa;Password=;'],
    ['a format placeholder', 'Server={0};User Id={1};Password={2};'],
    ['an interpolation', 'Server={host};User Id={user};Password={dbPassword};'],
    ['an MSBuild property', 'Server=db;User Id=sa;Password=$(DB_PASSWORD);'],
    ['a template variable', 'Server=db;User Id=sa;Password=${DB_PASSWORD};'],
    ['a Windows environment variable', 'Server=db;User Id=sa;Password=%DB_PASSWORD%;'],
    ['an angle-bracket placeholder', 'Server=db;User Id=sa;Password=<password>;'],
    ['a stop word', 'Server=db;User Id=sa;Password=your_password;'],
    ['integrated security', 'Server=db;Database=dev;Integrated Security=true;'],
    ['a trusted connection', 'Server=db;Database=dev;Trusted_Connection=True;'],
    ['prose about the keyword', 'The Password= keyword sets the login password; Pwd= is its ODBC alias.'],
    ['a concatenated variable', 'Server=db;Password=" + settings.DbPassword + ";'],
  ]) {
    for (const fileName of ['Db.cs', 'web.config', 'notes.md']) {
      it(`does not flag ${label} in ${fileName}`, () => assert.deepEqual(secrets(`var cs = "${text as string}";`, fileName), []));
    }
  }
});

describe('scanner: URLs with a password', () => {
  for (const [label, text, secret] of [
    ['a host given by a format verb', 'nc, err := nats.Connect(fmt.Sprintf("nats://svc:Xd7ym2@%s:%d", opts.Host, opts.Port))', 'Xd7ym2'],
    ['a host given by a template', 'url: "redis://:Zq8vL2mN4p@${REDIS_HOST}:6379"', 'Zq8vL2mN4p'],
    ['no user name', "remote = 'ssh://:urcilpqxquciy@build.example.com:22'", 'urcilpqxquciy'],
  ]) {
    it(`finds the password of ${label}`, () => assert.deepEqual(secrets(text as string, 'client.go'), [`url-password ${secret}`]));
  }

  for (const [label, text] of [
    ['a password given by a format verb too', 'url := fmt.Sprintf("postgres://app:%s@%s/orders", password, host)'],
    ['a template of every part', 'url = f"postgres://{user}:{password}@{host}/orders"'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'client.go'), []));
  }
});

describe('scanner: comparisons with a literal', () => {
  for (const [label, fileName, text, rule] of [
    ['a test asserting a password', 'test_config.py', 'assert cfg["password"] == "xkjstu"', 'password'],
    ['a key checked against a literal', 'server.go', 'if natsAcc.Nkey != "QC4TQRHOJHMNL5RSHZ464256A6ELK2KR2ZNQUALN5UACF7M72VHYVRAC" {', 'named-api-key'],
    ['a strict comparison', 'login.js', "if (req.body.password === 'Mr7!N00dles') solve();", 'password'],
  ]) {
    it(`finds ${label}`, () => assert.deepEqual(found(text as string, fileName as string), [rule]));
  }

  for (const [label, text] of [
    ['undefined', 'if (token === undefined) return;'],
    ['an empty string', 'if (apiKey == "") throw new Error("no key");'],
    ['another variable', 'if (password !== confirmPassword) fail();'],
    ['a token kind', 'if (token.type === "Punctuator") next();'],
    ['a placeholder', 'if (apiKey == "YOUR_API_KEY") warn();'],
  ]) {
    it(`does not flag a comparison with ${label}`, () => assert.deepEqual(found(text as string, 'check.js'), []));
  }
});

describe('scanner: a literal wrapped in a conversion, given to a setter, or first in a list', () => {
  const KEY = 'Wd7Kx2Qp9Ls4Bn6Tv1Yc8Rm3Gz5a';
  const HEX = '3b990db7f2ba190a502f387c35131c02042a26bf4dd77e431b280a4aa60e48b0';
  for (const [label, fileName, text, expected] of [
    ["Go's []byte", 'auth.go', `var jwtSecret = []byte("${KEY}")`, `named-api-key ${KEY}`],
    ["Node's Buffer.from with an encoding", 'keys.js', `const hmacKey = Buffer.from('${HEX}', 'hex')`, `named-api-key ${HEX}`],
    ['createSecretKey of a Buffer', 'sign.ts', `const secretKey = createSecretKey(Buffer.from('${HEX}', 'hex'))`, `named-api-key ${HEX}`],
    ["Python's bytes.fromhex", 'keys.py', `secret = bytes.fromhex("${HEX}")`, `generic-secret ${HEX}`],
    [
      "Python's base64.b64decode",
      'keys.py',
      `token = base64.b64decode("V2Q3S3gyUXA5THM0Qm42VHYxWWM4Um0zR3o1YQ==")`,
      'generic-secret V2Q3S3gyUXA5THM0Qm42VHYxWWM4Um0zR3o1YQ==',
    ],
    ["Rust's String::from", 'main.rs', `let api_key = String::from("${KEY}");`, `named-api-key ${KEY}`],
    ['a Go setter', 'client.go', `resty.SetAuthToken("${HEX}")`, `named-api-key ${HEX}`],
    ['a setter after a call, in a comment', 'client.go', `// resty.R().SetAuthToken("${HEX}")`, `named-api-key ${HEX}`],
    ['a snake_case setter', 'db.py', 'config.set_password("Fk2!ur8Lq")', 'password Fk2!ur8Lq'],
    ["a builder's with", 'Client.java', `builder.withClientSecret("${KEY}")`, `named-api-key ${KEY}`],
    [
      'the first of a list of tokens, in a JSON string',
      'vehicles.yml',
      `string: '{"vin":"5YJSA1CN5CFP01657","tokens":["30dc82b30b6a1e9a","e597d08dbbd15e38"]}'`,
      'generic-secret 30dc82b30b6a1e9a',
    ],
    ['the first of a list of passwords', 'seed.py', "passwords = ['Fk2!ur8Lq', 'Vq7mR2xL9kTp']", 'password Fk2!ur8Lq'],
  ]) {
    it(`finds ${label}`, () => assert.deepEqual(secrets(text as string, fileName as string), [expected]));
  }

  for (const [label, text] of [
    ['an environment lookup', 'token = os.getenv("GITHUB_TOKEN")'],
    ["a config lookup's key", 'password = config.get("db_password")'],
    ['a conversion of a variable', 'secret = Buffer.from(process.env.SECRET)'],
    ['a setter given a variable', 'api.setToken(token)'],
    ['a setter of a label', `form.setPasswordHint("${KEY}")`],
    ['a setter of a flag', 'field.setPasswordVisible(true)'],
    ['a placeholder given to a setter', 'client.setToken("YOUR_API_TOKEN")'],
    ['a call that is no setter', `verifyToken("${KEY}")`],
    ["a setter's owner that is named so", `setConfig.password("${KEY}")`],
    ['a list of the names of secrets', 'secrets: ["DB_PASSWORD", "API_KEY"]'],
    ["a lexer's tokens", 'tokens: ["(", ")", "[", "]"]'],
    ['a list of weak passwords', 'COMMON_PASSWORDS = ["123456", "password", "qwerty"]'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'app.py'), []));
  }
});

describe('scanner: curl credentials', () => {
  for (const [label, text, secret] of [
    ['-u user:password', 'curl -u occsdemo:lwqudnhp http://mesh-host:1936/haproxy?stats', 'lwqudnhp'],
    ['--user quoted', 'curl -s -k --user "admin:akgutxq9" https://docker.registry.local/v2/_catalog', 'akgutxq9'],
    ['--user=', "curl --user='deploy:Fk2!ur8Lq' https://api.example.com", 'Fk2!ur8Lq'],
    ["a proxy's", 'curl -x proxy:8080 -U proxyuser:Fk2ur8Lqx9 https://example.com', 'Fk2ur8Lqx9'],
    ['-u glued to its argument', 'curl -uadmin:Fk2ur8Lqx9 https://api.example.com', 'Fk2ur8Lqx9'],
  ]) {
    it(`finds the password of ${label}`, () => assert.deepEqual(secrets(text as string, 'deploy.sh'), [`curl-user-password ${secret}`]));
  }

  for (const [label, text] of [
    ['variables', 'curl -u "$USER:$PASS" https://x'],
    ['a variable password', 'curl -u "api:${MAILGUN_KEY}" https://x'],
    ['an empty password', 'curl -u ${API_KEY}: https://api.example.com'],
    ['a user name alone', 'curl -u admin https://x'],
    ['a placeholder', 'curl -u username:your_password https://x'],
    ['a placeholder in brackets', 'curl -u user:<password> https://x'],
    ["another tool's -u", 'sudo -u postgres:Fk2ur8Lqx9 psql'],
    ['--user-agent', 'curl --user-agent "Mozilla:5.0" https://x'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'deploy.sh'), []));
  }
});

describe('scanner: session cookies', () => {
  const EXPRESS = 's%3AQynnDBRGdxQEpgvXyFHRGUAfd_f3YTIl.U2E59JGY0NptwT%2B1LjMBy3XbQLI0cIC1lMeGlFTEIyL';
  for (const [label, fileName, text, secret] of [
    ["Express's connect.sid in Set-Cookie", 'login.har', `Set-Cookie: connect.sid=${EXPRESS}; Path=/; HttpOnly`, EXPRESS],
    [
      "PHP's session id among other cookies",
      'requests.http',
      'Cookie: PHPSESSID=el4ukv0kqbvoirg7nkp4dncpk3; _ga=GA1.2.123456789.1234567890',
      'el4ukv0kqbvoirg7nkp4dncpk3',
    ],
    [
      "Rails' _app_session",
      'login.yml',
      'Set-Cookie: _myapp_session=BAh7B0kiD3Nlc3Npb25faWQGOgZFVEkiJWE5ZjQ4NjBl; path=/',
      'BAh7B0kiD3Nlc3Npb25faWQGOgZFVEkiJWE5ZjQ4NjBl',
    ],
    ["a recorded response's header, its value on the next line", 'cassette.yml', `Set-Cookie:\n  - tesla-auth.sid=${EXPRESS};\n    Path=/; HttpOnly`, EXPRESS],
  ]) {
    it(`finds ${label}`, () => assert.deepEqual(secrets(text as string, fileName as string), [`session-cookie ${secret}`]));
  }

  for (const [label, text] of [
    ["a header's documented example", 'Set-Cookie: sessionId=38afes7a8; Path=/'],
    ['a deleted session', 'Set-Cookie: session=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT'],
    ['a template', 'Cookie: session_id=${SESSION_ID}'],
    ['a cookie set from a variable', 'document.cookie = "sessionid=" + sid;'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'client.js'), []));
  }
});

describe('scanner: SQL statements', () => {
  for (const [label, fileName, text, secret] of [
    ["MySQL's IDENTIFIED BY", 'schema.sql', "CREATE USER 'ctfduser'@'localhost' IDENTIFIED BY 'Fk2!ur8Lq';", 'Fk2!ur8Lq'],
    ['IDENTIFIED WITH a plugin BY', 'schema.sql', "CREATE USER app IDENTIFIED WITH mysql_native_password BY 'Pk3!vX9z';", 'Pk3!vX9z'],
    ["Oracle's bare password", 'README.md', 'SQL> alter user sys identified by Lkbztfm9 container=all;', 'Lkbztfm9'],
    ['GRANT … TO … IDENTIFIED BY', 'setup.sql', "GRANT ALL ON db.* TO 'app'@'%' IDENTIFIED BY 'Rt6#nQ2v';", 'Rt6#nQ2v'],
    ['a statement in a shell command', 'ci.yml', `- mysql -uroot -e 'CREATE USER gotest IDENTIFIED BY "Kj8xa3e"'`, 'Kj8xa3e'],
    ["PostgreSQL's WITH PASSWORD", 'init.sql', "CREATE USER IF NOT EXISTS sandy WITH PASSWORD 'Xwyh3Lrd@' NOSUPERUSER;", 'Xwyh3Lrd@'],
    ['ALTER USER … PASSWORD', 'init.sql', "ALTER USER postgres PASSWORD 'Mz8!qL2w';", 'Mz8!qL2w'],
    ["SQL Server's WITH PASSWORD =", 'Setup.cs', `cmd.CommandText = "CREATE LOGIN app WITH PASSWORD = 'Yb5$wN3k'";`, 'Yb5$wN3k'],
  ]) {
    it(`finds ${label}`, () => assert.deepEqual(secrets(text as string, fileName as string), [`sql-password ${secret}`]));
  }

  for (const [label, text] of [
    ["MySQL's password hash", "CREATE USER u IDENTIFIED BY PASSWORD '*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4';"],
    ['a bind variable', 'CREATE USER u IDENTIFIED BY :pwd;'],
    ['a template', "ALTER ROLE app WITH PASSWORD '${DB_PASSWORD}';"],
    ['a format placeholder', "ALTER ROLE app WITH PASSWORD '%s'"],
    ['prose', 'The user is identified by their email.'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'notes.sql'), []));
  }
});

describe('scanner: URL parameters', () => {
  for (const [label, fileName, text, secret] of [
    [
      'a query parameter in a string',
      'danger.rb',
      'url = "https://gitlab.example.com/api/v4/projects/1/raw?ref=main&private_token=Qm7vN2pL9xK4mW8rT5yH"',
      'Qm7vN2pL9xK4mW8rT5yH',
    ],
    ['the first of several', 'client.py', "redirect = 'https://127.0.0.1/callback?oauth_token=Vx8kQ2mZr9LwT4nB&oauth_verifier=1'", 'Vx8kQ2mZr9LwT4nB'],
    [
      'a fragment parameter',
      'app.js',
      '// http://localhost:9000/oauth.html#access_token=jx1PKo0Fw36OEptcpJPzRASpxZqKFG&token_type=Bearer',
      'jx1PKo0Fw36OEptcpJPzRASpxZqKFG',
    ],
  ]) {
    it(`finds ${label}`, () =>
      assert.deepEqual(
        secrets(text as string, fileName as string)
          .slice(0, 1)
          .map((found) => found.replace(/^\S+ /, '')),
        [secret],
      ));
  }

  for (const [label, text] of [
    ['a template', 'const url = `https://api.example.com/v1?access_token=${token}&page=2`;'],
    ['a placeholder', 'fetch("https://api.example.com/v1?api_key=YOUR_API_KEY")'],
    ['a format string', 'const url = "https://api.example.com/?session_token=%s";'],
    ['a mustache variable', 'GET https://api.example.com/items?client_secret={{secret}}&page=1'],
    ['an empty value', '<a href="/login?next=/home&password=">'],
    ["a URL template's variable", ' * otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String where'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'app.js'), []));
  }
});

describe('scanner: command-line options', () => {
  for (const [label, fileName, text, secret] of [
    ['--password and its argument', 'deploy.sh', 'nats server raft step-down --user admin --password q0yl8o!', 'q0yl8o!'],
    ['a line that goes on', 'setup.sh', '  --user oggadmin --password hsgifhqq-V1 \\', 'hsgifhqq-V1'],
    ["PowerShell's -Password", 'README.md', 'Invoke-MSOLSpray -UserList .\\users.txt -Password t7jjRzzihqp!', 't7jjRzzihqp!'],
    ['a quoted argument', 'README.md', 'ldapmodify --bindDN cn=admin --bindPassword "Wq4!zLr8" -f change.ldif', 'Wq4!zLr8'],
  ]) {
    it(`finds ${label}`, () => assert.deepEqual(secrets(text as string, fileName as string), [`password ${secret}`]));
  }

  for (const [label, text] of [
    ['a variable', 'mysql -u root --password $MYSQL_PASSWORD'],
    ['a placeholder', 'docker login --password <password>'],
    ['the next option', 'docker login --username ci --password --help'],
    ['a switch before a positional argument', 'secretsdump.py -k -no-pass dc01.corp.local'],
    ['a file holding it', 'openssl req -new -key server_key.pem -out server.csr'],
    ["openssl's pass source", 'openssl enc -d -aes-256-cbc -in secret.enc -pass file:key.txt'],
    ['an option of another word', 'app --password-file secrets.txt'],
  ]) {
    it(`does not flag ${label}`, () => assert.deepEqual(secrets(text as string, 'run.sh'), []));
  }
});

describe('scanner: suppression and ignore list', () => {
  const key = 'const token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";';

  it('honours api-key-guard-ignore on the line in any comment syntax', () => {
    assert.deepEqual(found(`${key} // api-key-guard-ignore`), []);
    assert.deepEqual(found('API_TOKEN=Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k # api-key-guard-ignore', '.env'), []);
  });

  it('honours api-key-guard-ignore-next-line on the line above only', () => {
    assert.deepEqual(found(`<!-- api-key-guard-ignore-next-line -->\n${key}`), []);
    assert.deepEqual(found(`/* api-key-guard-ignore-next-line */\n\n${key}`), ['generic-secret']);
    assert.deepEqual(found(`${key} /* api-key-guard-ignore-next-line */`), ['generic-secret']);
  });

  // A generic secret and a URL password on one line, so a comment can name one rule and not the other.
  const two = 'const token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k", url = "postgres://app:Hq2Lm9Pz4Rt8@db.internal/app";';

  it("names rules: an ignore with rule ids hides only those rules' findings on its line", () => {
    assert.deepEqual(found(two), ['generic-secret', 'url-password']);
    assert.deepEqual(found(`${two} // api-key-guard-ignore generic-secret`), ['url-password']);
    assert.deepEqual(found(`${two} // api-key-guard-ignore url-password -- test database`), ['generic-secret']);
    assert.deepEqual(found(`${two} /* api-key-guard-ignore bearer-token */`), ['generic-secret', 'url-password']);
    assert.deepEqual(found(`// api-key-guard-ignore-next-line url-password\n${two}`), ['generic-secret']);
    assert.deepEqual(found(`${two} // api-key-guard-ignore -- reviewed`), []);
  });

  // Each lists a rule not on the line first, so only reading past it hides the generic secret.
  for (const [label, comment] of [
    ['a comma', '// api-key-guard-ignore bearer-token,generic-secret'],
    ['a comma and spaces', '# api-key-guard-ignore bearer-token , generic-secret -- fixtures'],
    ['spaces', '<!-- api-key-guard-ignore bearer-token generic-secret -->'],
    ['a space, in a comment closed right after', '<!-- api-key-guard-ignore bearer-token generic-secret-->'],
  ] as const) {
    it(`reads rule ids separated by ${label}, on the line and above it`, () => {
      assert.deepEqual(found(`${two} ${comment}`), ['url-password']);
      assert.deepEqual(found(`${comment.replace('ignore', 'ignore-next-line')}\n${two}`), ['url-password']);
    });
  }

  it('drops a fingerprint listed in the ignore file, and only that value', () => {
    const ignore = parseIgnoreFile(`# reviewed\n${fingerprintOf('Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', 'generic-secret')}  # test value\nfixtures/**\n`);
    assert.deepEqual(ignore.paths, ['fixtures/**']);
    const scanner = new SecretScanner({ ignoredFingerprints: ignore.fingerprints });
    assert.deepEqual(scanner.scanText(key, { fileName: 'a.js' }), []);
    assert.equal(scanner.scanText(key.replace('Zq8v', 'Zq9v'), { fileName: 'a.js' }).length, 1);
  });

  it('still honours an old sha256: entry, and says which secrets it hid so it can be replaced', () => {
    const old = legacyFingerprintOf('Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k').slice(0, 19);
    const scanner = new SecretScanner({ ignoredFingerprints: parseIgnoreFile(`${old} # test value\n`).fingerprints });
    assert.deepEqual(scanner.scanText(key, { fileName: 'a.js' }), []);
    assert.deepEqual(
      [...(scanner.ignored.legacyMatches.get(old) ?? [])].map((fingerprint) => fingerprint.value),
      [fingerprintOf('Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', 'generic-secret')],
    );
  });
});

describe('scanner: file bytes', () => {
  const labels = JSON.parse(fs.readFileSync(path.join(CORPUS, 'labels.json'), 'utf8')) as Labels;
  const scanner = new SecretScanner();
  const same = (bytes: Buffer, fileName: string): void => {
    assert.deepEqual(scanner.scanBytes(bytes, { fileName }), scanner.scanText(bytes.toString('utf8'), { fileName }), fileName);
  };

  it('finds nothing in a binary file, and in a text file what scanBytes finds', () => {
    const secret = 'const apiKey = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";\n';
    assert.deepEqual(scanner.scanFile(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]), Buffer.from(secret)]), { fileName: 'logo.png' }), []);
    assert.deepEqual(scanner.scanFile(Buffer.from(`\xff\xfe${'\xfe'.repeat(200)}${secret}`, 'latin1'), { fileName: 'blob.dat' }), []);
    const text = Buffer.from(`// ünïcode\n${secret}`);
    assert.equal(scanner.scanFile(text, { fileName: 'app.js' }).length, 1);
    assert.deepEqual(scanner.scanFile(text, { fileName: 'app.js' }), scanner.scanBytes(text, { fileName: 'app.js' }));
  });

  it('finds in UTF-8 bytes exactly what it finds in the decoded text', () => {
    for (const file of Object.keys(labels.files)) {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      // As is (mostly ASCII), in runs of lines with non-ASCII between them, and one long line.
      same(Buffer.from(text), file);
      same(Buffer.from(text.split('\n').join(`\n// ünïcode 日本 😀${'\n'.repeat(8)}`)), file);
      same(Buffer.from(`é ${text.replace(/\n/g, ' ').repeat(3)}`), file);
    }
  });

  it('passes over URL lines without credentials and still finds those with them', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `# docs: https://example.com/page/${i} é`);
    lines.splice(20, 0, 'DATABASE_URL=postgres://app:Zq8vL2mN4pR7tX1y@db.internal:5432/app');
    lines.push(`${'x'.repeat(5000)} https://a.example/ token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k" https://b.example/ ${'y'.repeat(5000)}`);
    const bytes = Buffer.from(lines.join('\n'));
    same(bytes, '.env');
    assert.deepEqual(
      scanner.scanBytes(bytes, { fileName: '.env' }).map((finding) => `${finding.line} ${finding.ruleId}`),
      ['20 url-password', '51 generic-secret'],
    );
  });

  it('decodes invalid UTF-8 the way scanText is given it', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('const apiKey = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";\n'), Buffer.from([0xc3, 0x28])]);
    same(bytes, 'a.ts');
    assert.equal(scanner.scanBytes(bytes, { fileName: 'a.ts' })[0]?.column, 18);
  });
});

describe('scanner: long lines', () => {
  /** Deterministic key-like text, so a failure reproduces. */
  function keyLike(length: number, seed: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let state = seed;
    let text = '';
    for (let i = 0; i < length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      text += alphabet[(state >>> 16) % 64];
    }
    return text;
  }
  /** Minified code with keyword hits that hold no secret, `length` characters of it. */
  const filler = (length: number): string => 'e.nextPageToken=t.nextPageToken;'.repeat(Math.ceil(length / 32)).slice(0, length);
  const key = 'upz_159TWSb09LMzyCzT7Dc9hvFRrZ3EkfiF';
  const header = `fetch(u,{headers:{"X-API-Key":"${key}"}});`;

  const minified = (line: string): string[] => secrets(line, 'bundle.min.js');

  it('finds a whole JWT that runs on far past its Bearer keyword', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJ${keyLike(2400, 1)}.${keyLike(342, 2)}`;
    const line = `${filler(3000)}fetch(u,{headers:{Authorization:"Bearer ${jwt}"}});${filler(6000)}`;
    assert.deepEqual(minified(line), [`jwt-bearer ${jwt}`]);
  });

  it('finds every key among keyword hits on every character, wherever a window edge falls', () => {
    // Keys 70 to 100 characters apart for 60 KB: an edge anywhere in the line would cut one.
    const parts: string[] = [];
    for (let i = 0; parts.join('').length < 60_000; i++) parts.push(header, filler(i % 31));
    assert.deepEqual(minified(parts.join('')), Array(parts.length / 2).fill(`x-api-key-header ${key}`));
  });

  it('finds every key whose name starts just before the previous window ends', () => {
    // Each key follows a hit by a gap that grows a character at a time, past any window's reach.
    const parts: string[] = [];
    for (let gap = 900; gap < 1200; gap += 3) parts.push('e.nextPageToken=1;', 'q'.repeat(gap), header);
    assert.deepEqual(minified(parts.join('')), Array(parts.length / 3).fill(`x-api-key-header ${key}`));
  });
});

describe('scanner: stored keys', () => {
  const scanner = new SecretScanner({
    extraSecrets: [{ value: 'prod-Order-7731', label: "production Uppzy key 'prod-order-bot'", variable: 'ORDER_BOT_KEY' }],
  });

  it('flags a stored key verbatim whatever its format, with its label', () => {
    const [finding] = scanner.scanText('see prod-Order-7731 in the notes', { fileName: 'notes.txt' });
    assert.equal(finding?.ruleId, 'stored-key');
    assert.equal(finding?.column, 4);
    assert.equal(
      finding?.message,
      "Your production Uppzy key 'prod-order-bot' is pasted here. Read it from the environment variable ORDER_BOT_KEY or a secret manager at run time.",
    );
    assert.equal(finding?.variable, 'ORDER_BOT_KEY', 'the variable programs get the stored key in');
    assert.ok(!JSON.stringify(finding).includes('prod-Order-7731'));
  });

  it('does not flag a different value sharing the prefix', () => {
    assert.deepEqual(scanner.scanText('prod-Order-7732', { fileName: 'notes.txt' }), []);
  });
});

describe('scanner: incremental document scanning', () => {
  const scanner = new SecretScanner();
  const lines = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i});`);
  lines[10] = 'const apiKey = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k";';
  const pem = [
    '-----BEGIN PRIVATE KEY-----',
    ...Array.from({ length: 4 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${i}x7Kq2Lm9Pz4Rt8Vw`),
    '-----END PRIVATE KEY-----',
  ];
  lines.splice(30, 0, ...pem);

  function applyAndCompare(document: DocumentScanner, model: string[], start: number, end: number, inserted: string[]): void {
    model.splice(start, end - start, ...inserted);
    const incremental = document.replaceLines(start, end, inserted);
    assert.deepEqual(incremental, scanner.scanText(model.join('\n'), { fileName: 'a.ts' }));
  }

  it('gives the same findings as a full scan after each kind of edit', () => {
    const model = [...lines];
    const document = new DocumentScanner(scanner, { fileName: 'a.ts' }, model.join('\n'));
    assert.deepEqual(
      document.findings.map((f) => f.ruleId),
      ['named-api-key', 'private-key'],
    );
    applyAndCompare(document, model, 5, 5, ['const token = "Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7";']);
    applyAndCompare(document, model, 0, 2, []);
    applyAndCompare(document, model, 9, 10, ['const apiKey = process.env.API_KEY;']);
    applyAndCompare(document, model, 31, 32, ['MIIE']);
    applyAndCompare(document, model, 36, 37, []);
    applyAndCompare(document, model, 40, 40, ['-----END PRIVATE KEY-----']);
    applyAndCompare(document, model, 3, 3, ['// api-key-guard-ignore-next-line']);
    applyAndCompare(document, model, 0, model.length, ['UPPZY_API_KEY = "uk_7Gq2Lm9Pz4Rt8Vw1Xy5Bc3D"']);
  });
});

describe('scanner: rule validation', () => {
  const [vendor] = RULES.filter((rule): rule is PatternRule => rule.kind === 'pattern');
  const generic = RULES.find((rule) => rule.id === 'generic-secret');
  assert.ok(vendor && generic);

  for (const [label, rule, problem] of [
    ['a pattern without the d flag', { ...vendor, pattern: /(?<secret>sk-[a-z]{20})/g }, /needs the flags d and g/],
    ['a pattern without the g flag', { ...vendor, pattern: /(?<secret>sk-[a-z]{20})/d }, /needs the flags d and g/],
    ['a pattern without a secret group', { ...vendor, pattern: /(?<token>sk-[a-z]{20})/dg }, /no \(\?<secret>…\) group/],
    ['a pattern whose only secret-like text is escaped', { ...vendor, pattern: /\(\?<secret>sk-[a-z]{20}\)/dg }, /no \(\?<secret>…\) group/],
    ['a keyword in capitals', { ...generic, keywords: ['API_KEY'] }, /keyword 'API_KEY' is not a lowercase/],
    ['an empty keyword', { ...generic, keywords: ['token', ''] }, /keyword '' is not a lowercase/],
    ['no keywords', { ...vendor, keywords: [] }, /has no keywords/],
  ] as const) {
    it(`refuses ${label}, naming the rule, instead of never reporting it`, () => {
      assert.throws(() => validateRule(rule), new RegExp(`^Error: scanner rule '${rule.id}': .*${problem.source}`));
      assert.throws(() => new SecretScanner({ rules: [...RULES, rule] }), problem);
    });
  }

  it('accepts every built-in rule, a secret group in an optional branch, and custom providers', () => {
    RULES.forEach(validateRule);
    validateRule({ ...vendor, pattern: /x|(?<secret>sk-[a-z]{20})/dg });
    validateRule({ ...vendor, pattern: /\\\\(?<secret>sk-[a-z]{20})/dg });
    // validateRule reads the group from the source: the regular expression engine agrees for every built-in pattern.
    for (const rule of RULES) {
      if (rule.kind === 'pattern') assert.ok('secret' in (new RegExp(`${rule.pattern.source}|`, rule.pattern.flags).exec('')?.groups ?? {}), rule.id);
    }
    assert.doesNotThrow(() => new SecretScanner({ rules: buildRules(BUILT_IN_PROVIDERS) }));
  });
});
