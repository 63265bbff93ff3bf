import * as assert from 'node:assert/strict';
import type { ValueCheck } from '../../../src/core/scanner/types';
import { refusalOf } from '../../../src/core/scanner/valueFilters';

const NAMED: ValueCheck = { minLength: 8, maxLength: 4096, minEntropy: 0, filter: 'named', allowIds: true };
const PASSWORD: ValueCheck = { minLength: 1, maxLength: 256, minEntropy: 0, filter: 'password' };
const STRICT: ValueCheck = { minLength: 8, maxLength: 1024, minEntropy: 3.0, filter: 'strict' };
const FORMAT: ValueCheck = { minLength: 16, maxLength: 1024, minEntropy: 2.5, filter: 'format' };

describe('value filters: random keys the accuracy bench found refused', () => {
  // Each of these was drawn by the bench's random-key generator and refused by the filter named beside it.
  it('a random password with symbols is no identifier, and one starting with @ or wrapped in % is no reference', () => {
    for (const value of ['XhcxkSRE.P#~', '+QkrbnbvHfr$', 'Hol@Kbrfrxw$', '!$bfh&ITND-.']) assert.equal(refusalOf(value, NAMED), undefined, value);
    for (const value of ['@riJTIs8gFju', '@CLqEtvZRfha', '%QxidwQoHXk%']) assert.equal(refusalOf(value, PASSWORD), undefined, value);
  });

  it('random letters in random case are no identifier', () => {
    for (const value of ['upoLPCDWAMrkoOKDQvzq', 'ZYOSJUVWCvrNzmimdUaa', 'GDDQfbweJtfRTLKpwsue', 'esxOSnGjsIskipMsftUL-ykGUPLFL-kFJOXKMynpENQ']) {
      assert.equal(refusalOf(value, NAMED), undefined, value);
    }
  });

  it('placeholder words count in the case people write them, not inside random mixed case', () => {
    for (const value of ['YOUrYUm3y5EGOVudUzQX', 'DmNApASs5DhwPZGJMNgn', 'WqZqEj+J9eeQvSicJMwiKxX4TU6h5rcC0krGyOURSjk=']) {
      assert.equal(refusalOf(value, PASSWORD), undefined, value);
    }
    assert.equal(refusalOf('3foo0aqycslcir1mmdvccv98', NAMED), undefined);
  });

  it('three dots inside a value and a short `$2$` are no filler and no hash', () => {
    assert.equal(refusalOf('ATBBq7Zr...k2Lm9wXpQ4vN8sT1yB6cD', FORMAT), undefined);
    assert.equal(refusalOf('$2$$*l?k492d', PASSWORD), undefined);
  });
});

describe('value filters: what they still refuse', () => {
  it('identifiers, i18n keys and code', () => {
    for (const value of [
      'someHeaderName',
      'auth.user.label',
      'X-Request-Id',
      'XMLHttpRequest',
      'git:https://github.com',
      "session['user_name']",
      'authentication.',
      // Property paths with indexes, as a minified AST helper lists them (`ownKeys: ["body.0.id", …]` in @babel/standalone).
      'body.0.id',
      'body.1.body.body.0.body',
      'items.12.title',
    ]) {
      assert.equal(refusalOf(value, NAMED), 'identifier', value);
    }
  });

  it('references by name, placeholders as written, elisions and hashes', () => {
    assert.equal(refusalOf('@db_password', PASSWORD), 'reference');
    assert.equal(refusalOf('%APPDATA%', PASSWORD), 'reference');
    assert.equal(refusalOf('yourPasswordHere', PASSWORD), 'placeholder');
    assert.equal(refusalOf('MY_PASSWORD_1', PASSWORD), 'placeholder');
    assert.equal(refusalOf('sk_live_1234...', STRICT), 'filler');
    assert.equal(refusalOf('$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', PASSWORD), 'hash');
  });
});
