// Argo's timestamps: ISO-8601 UTC with second precision ("2026-01-01T00:00:00Z").

export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
