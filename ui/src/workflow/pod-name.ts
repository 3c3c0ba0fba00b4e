// Pod names as the server computes them for logs (engine/ids.ts, Argo's v2 names):
// `<workflow>-<template>-<fnv32a(node name)>`, the root pod taking the workflow's own name.

const UTF8 = new TextEncoder();

/** 32-bit FNV-1a over UTF-8 bytes, as Go's hash/fnv New32a. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of UTF8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const MAX_NAME = 253;
const HASH_ROOM = 11;

export function podName(workflowName: string, nodeName: string, templateName: string | undefined): string {
  if (nodeName === workflowName) return workflowName;
  let prefix = templateName ? `${workflowName}-${templateName}` : workflowName;
  if (prefix.length > MAX_NAME - HASH_ROOM) prefix = prefix.slice(0, MAX_NAME - HASH_ROOM);
  return `${prefix}-${fnv32a(nodeName)}`;
}
