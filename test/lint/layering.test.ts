import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../e2e/support/processes.ts';

// The project's lint configuration, run on deliberate violations placed (virtually) in each
// folder. Type-aware rules are switched off: the type checker only knows files on disk.
const eslint = new ESLint({ cwd: projectRoot, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'tally/layering').map((message) => message.message);
}

describe('lint enforces the layering of the architecture', () => {
  it('the renderer may not import node built-ins, electron or main/', async () => {
    expect(
      await layeringErrors('renderer/ui/violation.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"),
    ).toEqual(['renderer/ may not import the Node built-in node:fs (see the folder README and docs/architecture.md).']);
    expect(
      await layeringErrors('renderer/ui/violation.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"),
    ).toHaveLength(1);
    expect(await layeringErrors('renderer/ui/violation.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([
      'renderer/ may not import electron (see the folder README and docs/architecture.md).',
    ]);
    expect(
      await layeringErrors(
        'renderer/ui/violation.ts',
        "import { startHost } from '../../main/services/host.ts';\nexport const x = startHost;\n",
      ),
    ).toEqual(['renderer/ may not import main/ (../../main/services/host.ts) (see the folder README and docs/architecture.md).']);
    expect(await layeringErrors('renderer/ui/violation.ts', "export const load = () => import('better-sqlite3');\n")).toHaveLength(1);
  });

  it('common/ imports only common/ (and its schema library)', async () => {
    expect(
      await layeringErrors('common/media/violation.ts', "import { Store } from '../../main/services/store.ts';\nexport const x = Store;\n"),
    ).toHaveLength(1);
    expect(
      await layeringErrors('common/media/violation.ts', "import { Buffer } from 'node:buffer';\nexport const x = Buffer;\n"),
    ).toHaveLength(1);
    expect(await layeringErrors('common/media/violation.ts', "import { z } from 'zod';\nexport const x = z;\n")).toEqual([]);
  });

  it('only main/electron/ and preload/ import electron; server/ never does', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await layeringErrors('main/electron/violation.ts', code)).toEqual([]);
    expect(await layeringErrors('preload/violation.ts', code)).toEqual([]);
    expect(await layeringErrors('main/services/violation.ts', code)).toHaveLength(1);
    expect(await layeringErrors('server/violation.ts', code)).toHaveLength(1);
    expect(await layeringErrors('native/violation.ts', code)).toHaveLength(1);
  });

  it('code that follows the layering passes', async () => {
    expect(
      await layeringErrors(
        'main/services/fine.ts',
        "import { join } from 'node:path';\nimport { hostContract } from '../../common/host/contract.ts';\nexport const x = [join, hostContract];\n",
      ),
    ).toEqual([]);
  });
});
