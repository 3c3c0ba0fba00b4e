// The web UI's files (built by Vite into dist/ui) served at `/`, with the single-page fallback:
// any GET outside the API that names no file gets index.html, so deep links and reloads work.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The package's dist/ui, found from this file whether it runs compiled (dist/) or from src/ (tsx). */
export function findUiDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name !== 'argot') return undefined;
      } catch {
        return undefined;
      }
      const ui = join(dir, 'dist', 'ui');
      return existsSync(join(ui, 'index.html')) ? ui : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export interface UiFile {
  body: Buffer;
  type: string;
  /** Vite's hashed assets never change under one name; index.html must always be re-read. */
  immutable: boolean;
}

/** The file for a URL path under `uiDir`, index.html for an app route, undefined for neither. */
export async function uiFile(uiDir: string, urlPath: string): Promise<UiFile | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const path = normalize(join(uiDir, rel));
  if (path !== uiDir && !path.startsWith(uiDir + sep)) return undefined;
  const ext = extname(path);
  if (ext && isFile(path)) {
    return { body: await readFile(path), type: TYPES[ext] ?? 'application/octet-stream', immutable: rel.startsWith('/assets/') };
  }
  // A missing asset is a 404, not the app: a stale tab asking for an old bundle must see it fail.
  if (ext || rel.startsWith('/assets/')) return undefined;
  return { body: await readFile(join(uiDir, 'index.html')), type: TYPES['.html'] ?? '', immutable: false };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
