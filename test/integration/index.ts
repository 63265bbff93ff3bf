/**
 * The integration suite's entry point, in the shape both runners expect: `run()` is called inside the
 * extension host by VS Code (our code-server harness, or @vscode/test-electron on a desktop build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // AKG_TEST_GREP runs only the tests whose titles match it, to chase one failure.
  const grep = process.env.AKG_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) {
      mocha.addFile(path.join(__dirname, file));
    }
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) {
    throw new Error(`${failures} integration test(s) failed`);
  }
}
