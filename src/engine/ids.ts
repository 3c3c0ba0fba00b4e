// Argo's deterministic naming (workflow_types.go NodeID, util/pod names v2): a re-run reconcile
// after a crash computes the same IDs and pod names, so nothing is created twice.

const UTF8 = new TextEncoder();
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-8 bytes, as Go's hash/fnv New32a. */
export function fnv32a(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of UTF8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

export function nodeId(workflowName: string, nodeName: string): string {
  if (nodeName === workflowName) return workflowName;
  return `${workflowName}-${fnv32a(nodeName)}`;
}

const MAX_NAME = 253;
const HASH_ROOM = 11; // "-" + up to 10 digits

/** Hashes of node names seen lately: every reconcile names every running node's pod again. */
const hashes = new Map<string, string>();
const MAX_CACHED = 100_000;

function nameHash(nodeName: string): string {
  let hash = hashes.get(nodeName);
  if (hash === undefined) {
    if (hashes.size >= MAX_CACHED) hashes.clear();
    hash = String(fnv32a(nodeName));
    hashes.set(nodeName, hash);
  }
  return hash;
}

/** Pod names, Argo's v2 format: <wf>-<template>-<hash(nodeName)>; the root pod takes the workflow's name. */
export function podName(workflowName: string, nodeName: string, templateName: string | undefined): string {
  if (nodeName === workflowName) return workflowName;
  const hash = nameHash(nodeName);
  let prefix = templateName ? `${workflowName}-${templateName}` : workflowName;
  if (prefix.length > MAX_NAME - HASH_ROOM) prefix = prefix.slice(0, MAX_NAME - HASH_ROOM);
  return `${prefix}-${hash}`;
}
