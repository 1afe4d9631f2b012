/**
 * A stand-in for fpm, for the packaging tests only. electron-builder's deb target hands its
 * work to fpm (`-s dir -t deb ... src=dst`, app-builder-lib/out/targets/FpmTarget.js), which
 * it downloads from GitHub: unreachable here. This does the same job for the options
 * electron-builder passes, with Debian's own `dpkg-deb`, so the deb a test inspects is a
 * real one: control file, maintainer scripts, files at their install paths.
 * Point electron-builder at it with CUSTOM_FPM_PATH=test/packaging/support/fpm-dpkg-deb.sh.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const values = new Map<string, string[]>();
const mappings: Array<[string, string]> = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--force') continue;
  if (arg.startsWith('-')) {
    const list = values.get(arg) ?? [];
    list.push(args[++i] ?? '');
    values.set(arg, list);
    continue;
  }
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new Error(`fpm stand-in: cannot read argument ${arg}`);
  mappings.push([arg.slice(0, eq), arg.slice(eq + 1)]);
}
const one = (flag: string) => values.get(flag)?.[0];
if (one('-s') !== 'dir' || one('-t') !== 'deb') throw new Error('fpm stand-in: only -s dir -t deb');

const root = mkdtempSync(join(tmpdir(), 'fpm-stand-in-'));
try {
  for (const [source, target] of mappings) {
    const destination = join(root, target);
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
  }
  const description = (one('--description') ?? '').split('\n');
  const control = [
    `Package: ${one('--name')}`,
    `Version: ${one('--version')}`,
    `Architecture: ${one('--architecture')}`,
    `Maintainer: ${one('--maintainer')}`,
    `Installed-Size: ${Number(execFileSync('du', ['-sk', root]).toString().split('\t')[0])}`,
    ...(values.has('-d') ? [`Depends: ${values.get('-d')!.join(', ')}`] : []),
    ...(values.has('--deb-recommends') ? [`Recommends: ${values.get('--deb-recommends')!.join(', ')}`] : []),
    `Section: default`,
    `Priority: ${one('--deb-priority') ?? 'optional'}`,
    `Homepage: ${one('--url')}`,
    `Description: ${description[0]}`,
    ...description.slice(1).map((line) => (line.trim() ? ` ${line.trim()}` : ' .')),
  ];
  mkdirSync(join(root, 'DEBIAN'));
  writeFileSync(join(root, 'DEBIAN', 'control'), control.join('\n') + '\n');
  for (const [flag, script] of [
    ['--after-install', 'postinst'],
    ['--after-remove', 'postrm'],
  ] as const) {
    const file = one(flag);
    if (!file) continue;
    cpSync(file, join(root, 'DEBIAN', script));
    chmodSync(join(root, 'DEBIAN', script), 0o755);
  }
  const compression = { xz: 'xz', gz: 'gzip', bzip2: 'xz', zstd: 'zstd', none: 'none' }[one('--deb-compression') ?? 'xz'] ?? 'xz';
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, one('--package')!], { stdio: 'inherit' });
} finally {
  rmSync(root, { recursive: true, force: true });
}
