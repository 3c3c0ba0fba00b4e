// Which resource a document is, from its apiVersion and kind.

import type { SpecErrorCode } from './errors.js';
import type { PathSegment } from './path.js';
import { ARGO_API_VERSION, KINDS } from './schema.js';
import { isRecord } from './schema-check.js';
import { didYouMean } from './suggest.js';

export type KindResult =
  | { status: 'known'; kind: string; type: string }
  /** A Kubernetes object argot does not read (a ResourceQuota beside the examples, say). */
  | { status: 'foreign'; kind: string; apiVersion: string }
  | { status: 'invalid'; code: SpecErrorCode; message: string; path: PathSegment[]; expected?: string; fix?: string };

const ARGO_KINDS = Object.keys(KINDS).filter((k) => KINDS[k]?.apiVersion === ARGO_API_VERSION);

export function identifyKind(object: unknown): KindResult {
  if (!isRecord(object)) {
    return { status: 'invalid', code: 'not-an-object', message: 'a manifest must be a map with apiVersion, kind, metadata and spec', path: [] };
  }
  const { apiVersion, kind } = object;
  if (typeof kind !== 'string' || kind === '') {
    return { status: 'invalid', code: 'unknown-kind', message: 'missing "kind"', path: [], fix: `add kind: Workflow (or another Argo kind)` };
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    const expected = KINDS[kind]?.apiVersion ?? ARGO_API_VERSION;
    return { status: 'invalid', code: 'bad-api-version', message: 'missing "apiVersion"', path: [], fix: `add apiVersion: ${expected}` };
  }
  const known = KINDS[kind];
  if (known) {
    if (apiVersion !== known.apiVersion) {
      return {
        status: 'invalid',
        code: 'bad-api-version',
        message: `apiVersion "${apiVersion}" is not supported for ${kind}; use "${known.apiVersion}"`,
        path: ['apiVersion'],
        expected: known.apiVersion,
        fix: `apiVersion: ${known.apiVersion}`,
      };
    }
    return { status: 'known', kind, type: known.type };
  }
  if (apiVersion.startsWith('argoproj.io/')) {
    return {
      status: 'invalid',
      code: 'unknown-kind',
      message: `unknown kind "${kind}"${didYouMean(kind, ARGO_KINDS)}`,
      path: ['kind'],
    };
  }
  return { status: 'foreign', kind, apiVersion };
}
