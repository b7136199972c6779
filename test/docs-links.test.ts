// The repository describes itself (issue 16): no Markdown file links a path outside the
// repository (a checkout elsewhere would find nothing there), every relative link names a file
// that exists, and no text points readers at material the repository does not hold.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const markdown = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('node_modules/'));

/** `[text](target)` and `[text]: target` links, without titles and anchors */
export function linkTargets(text: string): string[] {
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const reference = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]);
  return [...inline, ...reference];
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

it('finds the Markdown files and their links (the check below has something to check)', () => {
  expect(markdown).toContain('README.md');
  expect(linkTargets('see [a](docs/a.md "t"), [b](<../x.md>) and\n[c]: https://e.x\n')).toEqual(['docs/a.md', '../x.md', 'https://e.x']);
});

it.each(markdown)('%s links nothing outside the repository, and every relative link exists', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  for (const target of linkTargets(text)) {
    if (isExternal(target) || target.startsWith('#')) continue;
    const path = resolve(ROOT, dirname(file), decodeURIComponent(target.split('#')[0]));
    expect(relative(ROOT, path).startsWith('..'), `${file} links ${target}, outside the repository`).toBe(false);
    expect(existsSync(path), `${file} links ${target}, which does not exist`).toBe(true);
  }
  expect(text, `${file} points at the workplace's shared folder`).not.toMatch(/\.\.\/shared|\bAPI\.md\b/);
});
